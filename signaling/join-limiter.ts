/**
 * Wrong-PIN limiting per client address: the `failuresBeforeBackoff`-th failure
 * starts an exponential backoff (base, 2×base, 4×base … up to max) during which
 * every join from that address is refused. A correct join elsewhere forgives
 * nothing (an attacker can always join a session of their own); an address's
 * record is forgotten only after it stayed quiet longer than the longest wait.
 * (The per-code lock lives on the session record.)
 */
export interface JoinLimiterOptions {
  failuresBeforeBackoff: number;
  baseMs: number;
  maxMs: number;
  now?: () => number;
}

interface AddressState {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export class JoinLimiter {
  private readonly byAddress = new Map<string, AddressState>();
  private readonly now: () => number;

  constructor(private readonly opts: JoinLimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds the address must still wait, or 0. */
  retryAfter(address: string): number {
    const s = this.byAddress.get(address);
    return s ? Math.max(0, s.blockedUntil - this.now()) : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    const s = this.byAddress.get(address) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    s.failures += 1;
    s.lastFailure = now;
    const over = s.failures - this.opts.failuresBeforeBackoff;
    if (over >= 0) s.blockedUntil = now + Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** over);
    this.byAddress.set(address, s);
  }

  /** Forgets addresses quiet for longer than the longest backoff. */
  sweep(): void {
    const cutoff = this.now() - this.opts.maxMs;
    for (const [address, s] of this.byAddress) if (s.lastFailure < cutoff && s.blockedUntil < this.now()) this.byAddress.delete(address);
  }
}
