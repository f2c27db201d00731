import type { OverlayMessage } from '../../../protocol/annotation-messages';
import type { AnnotationOverlay, OverlayTarget } from './annotation-overlay';

export interface OverlaySessionDeps {
  overlay: Pick<AnnotationOverlay, 'start' | 'draw' | 'stop' | 'active'>;
  /** What a capture id shares (HostServices.surfaceFor); undefined: nothing the overlay can lie over. */
  surfaceFor(sourceId: string): OverlayTarget | undefined;
  onError?(error: Error): void;
}

/**
 * Ties the desktop overlay to the session as main sees it over IPC: the host page's marks, its source picks and
 * the session's end. The overlay is laid only when a mark comes (so a capture that never gets a viewer, or a
 * person who turned marks off, has no window over their screen); a source switch moves an overlay that is up,
 * and `off` or the session's end takes it down.
 */
export class OverlaySession {
  private sourceId?: string;

  constructor(private readonly deps: OverlaySessionDeps) {}

  /** A pick: the first of a share, or a switch (the marks placed on the old picture go with it). */
  sourceSelected(sourceId: string): void {
    const switched = this.sourceId !== sourceId;
    this.sourceId = sourceId;
    if (switched && this.deps.overlay.active) this.place();
  }

  message(message: OverlayMessage): void {
    if (message.t === 'off') return this.deps.overlay.stop();
    if (!this.deps.overlay.active && !this.place()) return;
    this.deps.overlay.draw(message);
  }

  sessionEnded(): void {
    this.deps.overlay.stop();
  }

  /** Starts (or moves) the overlay over what is shared now; false when that is nothing it can cover. */
  private place(): boolean {
    const target = this.sourceId ? this.deps.surfaceFor(this.sourceId) : undefined;
    if (!target) {
      this.deps.overlay.stop();
      return false;
    }
    this.deps.overlay.start(target).catch((error: Error) => this.deps.onError?.(error));
    return true;
  }
}
