import { TokenBucket } from '../../common/token-bucket';
import {
  ANNOTATION_BURST,
  ANNOTATION_MESSAGES_PER_SECOND,
  AnnotationErrorCode,
  MAX_ANNOTATION_MESSAGE_BYTES,
  type ViewerAnnotation,
  viewerAnnotationSchema,
} from '../../protocol/annotation-messages';

export type GateResult = { ok: true; message: ViewerAnnotation } | { ok: false; code: AnnotationErrorCode };

/**
 * The host's check of every annotation message, before anything is drawn: size first (nothing large is parsed), then
 * the viewer's rate, then the schema. A refused message is counted by its code and goes no further; nothing throws.
 * While the person has annotations off every message is refused as `ANNOT_ERR_OFF`.
 */
export class AnnotationGate {
  readonly refused = new Map<AnnotationErrorCode, number>();
  enabled = true;
  private readonly bucket: TokenBucket;

  constructor(now: () => number = Date.now) {
    this.bucket = new TokenBucket(ANNOTATION_MESSAGES_PER_SECOND, ANNOTATION_BURST, now);
  }

  check(data: unknown): GateResult {
    // Length in UTF-16 units bounds the UTF-8 size from below; a string this short cannot be over the limit by much.
    if (typeof data !== 'string' || data.length > MAX_ANNOTATION_MESSAGE_BYTES) return this.refuse(AnnotationErrorCode.TOO_LARGE);
    if (!this.bucket.take()) return this.refuse(AnnotationErrorCode.RATE);
    if (!this.enabled) return this.refuse(AnnotationErrorCode.OFF);
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.refuse(AnnotationErrorCode.BAD_JSON);
    }
    const parsed = viewerAnnotationSchema.safeParse(json);
    return parsed.success ? { ok: true, message: parsed.data } : this.refuse(AnnotationErrorCode.BAD_MESSAGE);
  }

  get refusedTotal(): number {
    return [...this.refused.values()].reduce((a, b) => a + b, 0);
  }

  private refuse(code: AnnotationErrorCode): GateResult {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
    return { ok: false, code };
  }
}
