import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { type Capture, startCapture, stopCapture } from '../media/capture';
import type { PeerLink } from '../net/peer-link';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { MonitorRelay } from './monitor-relay';
import { WarmCapture } from './warm-capture';

export type CaptureOutcome = { ok: true; label: string } | { ok: false; cancelled: boolean; why: string };

/**
 * What the host shares: the source picked on the prompt, the capture starting for a request, the running capture,
 * and its swaps (the host's "Share something else", the technician's screen choice). The session decides whether a
 * finished start is used or dropped.
 */
export class HostCapture {
  /** Picked on the prompt or in the switch panel; undefined: the browser's own picker. */
  source?: CaptureSource;
  current?: Capture;
  private pending?: Capture;
  private monitors?: MonitorRelay;
  /** The prompt's live preview of the picked source: the capture Allow takes over. */
  readonly warm: WarmCapture;

  constructor(
    private readonly api: PeerDeskHostApi | undefined,
    /** The shared screen or window went away (closed, unplugged, the browser's own Stop). */
    private readonly onEnded: () => void,
  ) {
    this.warm = new WarmCapture(api);
  }

  /** The prompt's pick: its preview starts (desktop app). */
  pick(source: CaptureSource): void {
    this.source = source;
    this.warm.warm(source);
  }

  /** After Allow: the prompt's running preview if it shows the picked source, else a capture started now. */
  async start(): Promise<CaptureOutcome> {
    try {
      this.dropPending();
      const warm = await this.warm.take(this.source?.id);
      this.pending = warm ?? (await startCapture(this.api, this.source));
      return { ok: true, label: this.pending.label };
    } catch (err) {
      // The host cancelling the browser's picker is a refusal; anything else is a failure.
      const cancelled = !this.api && (err as Error).name === 'NotAllowedError';
      return { ok: false, cancelled, why: `Sharing could not start: ${(err as Error).message || (err as Error).name}.` };
    }
  }

  /** The started capture becomes the shared one. */
  use(): Capture | undefined {
    const capture = this.pending;
    this.pending = undefined;
    if (!capture) return undefined;
    this.current = capture;
    capture.track.addEventListener('ended', this.onEnded);
    return capture;
  }

  /** A capture started for a request that is no longer there: nothing of it is shared. */
  dropPending(): void {
    stopCapture(this.pending);
    this.pending = undefined;
  }

  stop(): void {
    this.warm.drop();
    this.dropPending();
    this.monitors?.dispose();
    this.monitors = undefined;
    stopCapture(this.current);
    this.current = undefined;
  }

  /** Desktop app only: the technician may pick another of the host's screens. */
  serveScreenChoice(toolkit: ToolkitChannel, switchTo: (s: CaptureSource, by: 'viewer') => Promise<void>): void {
    this.monitors?.dispose();
    this.monitors = this.api ? new MonitorRelay(toolkit, this.api, () => this.source, switchTo) : undefined;
  }

  announceScreens(): void {
    void this.monitors?.announce();
  }

  /** Swaps the outgoing track in place (`replaceTrack`): the viewer keeps the same connection. Undefined: no swap. */
  async switchTo(source: CaptureSource | undefined, link: PeerLink | undefined): Promise<Capture | undefined> {
    const previous = this.current;
    if (!previous || !link) return undefined;
    let next: Capture;
    try {
      next = await startCapture(this.api, source);
    } catch {
      return undefined;
    }
    link.replaceVideoTrack(previous, next.track);
    next.track.addEventListener('ended', this.onEnded);
    previous.track.removeEventListener('ended', this.onEnded);
    stopCapture(previous);
    this.current = { ...next, stream: previous.stream };
    if (source) this.source = source;
    return next;
  }
}
