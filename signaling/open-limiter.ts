import { TokenBucket } from '../common/token-bucket';

/**
 * `host.open` per client address: each open mints TURN credentials, so an address may open only a few
 * sessions a minute. One token bucket per address, forgotten once it has refilled.
 */
export class OpenLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one open for the address; false when it must wait. */
  take(address: string): boolean {
    let bucket = this.buckets.get(address);
    if (!bucket) this.buckets.set(address, (bucket = new TokenBucket(this.perMinute / 60, this.perMinute, this.now)));
    return bucket.take();
  }

  /** Milliseconds until the address may open again (0: now). */
  retryAfter(address: string): number {
    const bucket = this.buckets.get(address);
    return bucket ? bucket.msUntilToken() : 0;
  }

  /** Drops buckets that are full again: they hold nothing a new one would not. */
  sweep(): void {
    for (const [address, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(address);
  }
}
