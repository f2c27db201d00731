import { TokenBucket } from '../../common/token-bucket';
import { RecordingErrorCode } from '../../protocol/error-codes';
import {
  type HostRecording,
  hostRecordingSchema,
  MAX_RECORDING_MESSAGE_BYTES,
  RECORDING_BURST,
  RECORDING_CHANNEL_ID,
  RECORDING_MESSAGES_PER_SECOND,
  type ViewerRecording,
  viewerRecordingSchema,
} from '../../protocol/recording-messages';

export type RecordingGateResult = { ok: true; message: ViewerRecording } | { ok: false; code: RecordingErrorCode };

/**
 * The person's check of every message from the technician, before the consent machine sees it: size first (nothing
 * large is parsed), then the rate, then the schema. A refused message is counted by its code and goes no further.
 */
export class RecordingGate {
  readonly refused = new Map<RecordingErrorCode, number>();
  private readonly bucket: TokenBucket;

  constructor(now: () => number = Date.now) {
    this.bucket = new TokenBucket(RECORDING_MESSAGES_PER_SECOND, RECORDING_BURST, now);
  }

  check(data: unknown): RecordingGateResult {
    if (typeof data !== 'string' || data.length > MAX_RECORDING_MESSAGE_BYTES) return this.refuse(RecordingErrorCode.TooLarge);
    if (!this.bucket.take()) return this.refuse(RecordingErrorCode.RateLimited);
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.refuse(RecordingErrorCode.BadJson);
    }
    const parsed = viewerRecordingSchema.safeParse(json);
    return parsed.success ? { ok: true, message: parsed.data } : this.refuse(RecordingErrorCode.BadMessage);
  }

  /** Counts a refusal decided later (busy, cooldown, not recording): every refusal is seen in one place. */
  refuse(code: RecordingErrorCode): { ok: false; code: RecordingErrorCode } {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
    return { ok: false, code };
  }

  get refusedTotal(): number {
    return [...this.refused.values()].reduce((a, b) => a + b, 0);
  }
}

/** Both sides make the same negotiated channel, so neither waits for the other to announce it. */
const openRecordingChannel = (pc: RTCPeerConnection): RTCDataChannel =>
  pc.createDataChannel('recording', { negotiated: true, id: RECORDING_CHANNEL_ID, ordered: true });

/** The person's end: every message through the gate before `onMessage`; states go back to the technician. */
export class HostRecordingChannel {
  readonly gate = new RecordingGate();
  private readonly channel: RTCDataChannel;

  constructor(pc: RTCPeerConnection, onMessage: (m: ViewerRecording) => void) {
    this.channel = openRecordingChannel(pc);
    this.channel.onmessage = (e) => {
      const result = this.gate.check(e.data);
      if (result.ok) onMessage(result.message);
      else this.counted(result.code);
    };
  }

  /** A refusal the consent machine decided (busy, cooldown, not recording), counted with the gate's own. */
  refuse(code: RecordingErrorCode): void {
    this.gate.refuse(code);
    this.counted(code);
  }

  /** Refusals on the page, for the session's tests and anyone inspecting it. */
  private counted(code: RecordingErrorCode): void {
    document.body.dataset.recordingRefused = String(this.gate.refusedTotal);
    document.body.dataset.recordingLastRefusal = code;
  }

  send(message: HostRecording): void {
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(message));
  }

  close(): void {
    this.channel.close();
  }
}

/** The technician's end: asks and stops; hears the person's states, parsed like anything from the other side. */
export class ViewerRecordingChannel {
  private readonly channel: RTCDataChannel;

  constructor(pc: RTCPeerConnection, onState: (m: HostRecording) => void) {
    this.channel = openRecordingChannel(pc);
    this.channel.onmessage = (e) => {
      if (typeof e.data !== 'string' || e.data.length > MAX_RECORDING_MESSAGE_BYTES) return;
      try {
        const parsed = hostRecordingSchema.safeParse(JSON.parse(e.data));
        if (parsed.success) onState(parsed.data);
      } catch {
        // Not JSON: ignored, like any malformed message.
      }
    };
  }

  get open(): boolean {
    return this.channel.readyState === 'open';
  }

  onOpen(listener: () => void): void {
    this.channel.addEventListener('open', listener);
    if (this.open) listener();
  }

  send(message: ViewerRecording): boolean {
    if (!this.open) return false;
    this.channel.send(JSON.stringify(message));
    return true;
  }

  close(): void {
    this.channel.close();
  }
}
