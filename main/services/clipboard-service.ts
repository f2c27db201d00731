import { ClipboardErrorCode } from '../../protocol/error-codes';
import { MAX_CLIPBOARD_BYTES } from '../../protocol/toolkit-messages';
import type { AuditLog } from './audit-log';

/** The system clipboard as text (Electron's `clipboard` in the app, a string in the test harness). */
export interface SystemClipboard {
  readText(): string;
  writeText(text: string): void;
}

export type ClipboardResult<T> = { ok: true; value: T } | { ok: false; reason: ClipboardErrorCode };

/**
 * Whether the page may touch the host's system clipboard, decided on the trusted side. Sharing is off when a
 * session starts and when it ends; only the host's own toggle turns it on, for one session. While it is off,
 * every read and write is refused and counted, whatever the page asks: the page's own checks are for its UI,
 * this one is the rule.
 */
export class ClipboardService {
  readonly refused = new Map<ClipboardErrorCode, number>();
  private viewer?: string;
  private sharing = false;

  constructor(
    private readonly audit: AuditLog,
    private readonly clipboard?: SystemClipboard,
  ) {}

  get enabled(): boolean {
    return this.sharing;
  }

  /** A viewer is connected: sharing starts off. */
  beginSession(viewer: string): void {
    this.viewer = viewer;
    this.sharing = false;
  }

  endSession(): void {
    if (this.sharing) this.audit.record('clipboard.off', { viewer: this.viewer, reason: 'session-ended' });
    this.viewer = undefined;
    this.sharing = false;
  }

  /** The host's own toggle. Refused outside a session, so a page cannot turn it on before anyone joins. */
  setSharing(on: boolean): ClipboardResult<boolean> {
    if (!this.viewer) return this.refuse(ClipboardErrorCode.NoSession);
    if (on !== this.sharing) this.audit.record(on ? 'clipboard.on' : 'clipboard.off', { viewer: this.viewer, reason: 'host' });
    this.sharing = on;
    return { ok: true, value: on };
  }

  /** The host's clipboard text, to send to the viewer; text larger than the wire allows reads as empty. */
  read(): ClipboardResult<string> {
    const refused = this.check();
    if (refused) return refused;
    const text = this.clipboard?.readText() ?? '';
    return { ok: true, value: Buffer.byteLength(text) <= MAX_CLIPBOARD_BYTES ? text : '' };
  }

  /** Text the viewer sent, onto the host's clipboard. */
  write(text: string): ClipboardResult<void> {
    const refused = this.check();
    if (refused) return refused;
    if (Buffer.byteLength(text) > MAX_CLIPBOARD_BYTES) return this.refuse(ClipboardErrorCode.TooLarge);
    this.clipboard?.writeText(text);
    return { ok: true, value: undefined };
  }

  private check(): ClipboardResult<never> | undefined {
    if (!this.clipboard) return this.refuse(ClipboardErrorCode.Unavailable);
    if (!this.viewer) return this.refuse(ClipboardErrorCode.NoSession);
    if (!this.sharing) return this.refuse(ClipboardErrorCode.Off);
    return undefined;
  }

  private refuse(reason: ClipboardErrorCode): { ok: false; reason: ClipboardErrorCode } {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    return { ok: false, reason };
  }
}
