/**
 * A transfer's speed: the bytes that got across divided by the time since they could start to flow (the Accept).
 * The live figure and the final average are this one measure, so the last live figure is the average the
 * transfer ends with. (A sliding window over bytes handed to the channel read 3.3–4.5 MiB/s for a transfer whose
 * average was 2.9: the sender's buffer fills faster than the link drains it.)
 */
export class RateMeter {
  private readonly startedAt: number;
  /** Too short a span to say anything: no figure before it. */
  static readonly MIN_SPAN_MS = 200;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
  }

  /** Bytes per second for `bytes` across so far; 0 until there is a span worth dividing by. */
  rate(bytes: number): number {
    const ms = this.now() - this.startedAt;
    return ms < RateMeter.MIN_SPAN_MS ? 0 : (bytes * 1000) / ms;
  }
}
