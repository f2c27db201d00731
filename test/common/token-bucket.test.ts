import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../common/token-bucket';

function bucket(rate: number, burst: number) {
  let now = 0;
  return { b: new TokenBucket(rate, burst, () => now), advance: (ms: number) => (now += ms) };
}

describe('TokenBucket', () => {
  it('gives the burst at once, then exactly `rate` per second', () => {
    const { b, advance } = bucket(10, 5);
    expect(Array.from({ length: 6 }, () => b.take())).toEqual([true, true, true, true, true, false]);
    advance(99);
    expect(b.take()).toBe(false);
    advance(1);
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('never saves more than the burst, and says when the next token comes', () => {
    const { b, advance } = bucket(2, 3);
    advance(60_000);
    expect(b.full()).toBe(true);
    for (let i = 0; i < 3; i++) b.take();
    expect(b.take()).toBe(false);
    expect(b.msUntilToken()).toBe(500);
    advance(400);
    expect(b.msUntilToken()).toBe(100);
  });
});
