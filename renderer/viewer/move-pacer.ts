/** Where the pointer is, in client coordinates (a PointerEvent is one). */
export interface PointerPosition {
  clientX: number;
  clientY: number;
}

/**
 * Sends pointer moves as they come, at most one per `minIntervalMs`: a move inside the interval waits for its end,
 * and only the newest waiting one goes. Raw pointer updates come at the mouse's own rate (up to 1000 a second),
 * and every move shares the host's rate limit with clicks and keys.
 */
export class MovePacer {
  private lastSentAt = -Infinity;
  private waiting?: PointerPosition;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly send: (at: PointerPosition) => void,
    private readonly minIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  offer(at: PointerPosition): void {
    const since = this.now() - this.lastSentAt;
    if (this.timer === undefined && since >= this.minIntervalMs) return this.flush(at);
    this.waiting = { clientX: at.clientX, clientY: at.clientY };
    this.timer ??= setTimeout(() => this.flushWaiting(), this.minIntervalMs - since);
  }

  /** A click or wheel carries its own position: the move still waiting is older than it and must not follow it. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
  }

  private flushWaiting(): void {
    this.timer = undefined;
    const at = this.waiting;
    this.waiting = undefined;
    if (at) this.flush(at);
  }

  private flush(at: PointerPosition): void {
    this.lastSentAt = this.now();
    this.send(at);
  }
}
