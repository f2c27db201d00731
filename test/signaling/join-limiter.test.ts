import { describe, expect, it } from 'vitest';
import { JoinLimiter } from '../../signaling/join-limiter';

function limiter() {
  let now = 0;
  const l = new JoinLimiter({ failuresBeforeBackoff: 3, baseMs: 1000, maxMs: 300_000, now: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe('JoinLimiter', () => {
  it('lets two failures through, then the third waits 1 s, and every later one doubles: 2 s, 4 s … up to 5 min', () => {
    const { l } = limiter();
    l.recordFailure('a');
    l.recordFailure('a');
    expect(l.retryAfter('a')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      l.recordFailure('a');
      waits.push(l.retryAfter('a'));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('counts per address', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('a');
    expect(l.retryAfter('a')).toBe(1000);
    expect(l.retryAfter('b')).toBe(0);
  });

  it('the wait runs out on the clock, but the failures are remembered: the next failure waits longer', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('a');
    advance(999);
    expect(l.retryAfter('a')).toBe(1);
    advance(1);
    expect(l.retryAfter('a')).toBe(0);
    l.recordFailure('a');
    expect(l.retryAfter('a')).toBe(2000);
  });

  it('forgets an address only after it stayed quiet longer than the longest wait', () => {
    const { l, advance } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('a');
    advance(300_000);
    l.sweep();
    l.recordFailure('a');
    expect(l.retryAfter('a')).toBe(2000); // still remembered at exactly the bound
    advance(300_001);
    l.sweep();
    l.recordFailure('a');
    expect(l.retryAfter('a')).toBe(0); // a fresh start: first failure again
  });
});
