import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressLimits, joinBackoffMs } from '../../signaling/address-limits';
import { RedisServer } from '../support/redis-server';

const policy = { failuresBeforeBackoff: 3, baseMs: 1000, maxMs: 300_000 };

describe('joinBackoffMs', () => {
  it('lets two failures through, then the third waits 1 s, and every later one doubles: 2 s, 4 s … up to 5 min', () => {
    const waits = Array.from({ length: 14 }, (_, i) => joinBackoffMs(i + 1, policy));
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });
});

/** The same checks against each back-end: what one node and several nodes enforce must not differ. */
function limitsContract(name: string, make: () => ReturnType<typeof createAddressLimits>, unit: number) {
  describe(`address limits (${name})`, () => {
    it('blocks an address from its third failure, for the doubled wait of each later one, and per address only', async () => {
      const limits = make();
      await limits.recordJoinFailure('a');
      await limits.recordJoinFailure('a');
      expect(await limits.joinRetryAfter('a')).toBe(0);
      await limits.recordJoinFailure('a');
      const third = await limits.joinRetryAfter('a');
      expect(third).toBeGreaterThan(unit * 0.9);
      expect(third).toBeLessThanOrEqual(unit);
      await limits.recordJoinFailure('a');
      const fourth = await limits.joinRetryAfter('a');
      expect(fourth).toBeGreaterThan(unit * 1.9);
      expect(fourth).toBeLessThanOrEqual(unit * 2);
      expect(await limits.joinRetryAfter('b')).toBe(0);
    });

    it('allows the configured opens per minute, then says how long to wait', async () => {
      const limits = make();
      for (let i = 0; i < 3; i++) expect(await limits.takeOpen('a')).toBe(0);
      const wait = await limits.takeOpen('a');
      expect(wait).toBeGreaterThan(55_000);
      expect(wait).toBeLessThanOrEqual(60_000);
      expect(await limits.takeOpen('b')).toBe(0);
    });

    it('counts resumes apart from opens, per address', async () => {
      const limits = make();
      for (let i = 0; i < 2; i++) expect(await limits.takeResume('a')).toBe(0);
      expect(await limits.takeResume('a')).toBeGreaterThan(55_000);
      expect(await limits.takeOpen('a')).toBe(0);
      expect(await limits.takeResume('b')).toBe(0);
    });
  });
}

// In memory, waits keep their milliseconds: a 200 ms base shows the doubling without waiting for it.
limitsContract('memory', () => createAddressLimits({ ...policy, baseMs: 200, opensPerMinute: 3, resumesPerMinute: 2 }), 200);

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await RedisServer.start();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});
// Redis keeps whole seconds (waits round up, never down to 0). Each test starts from an empty Redis: the flush is
// queued on the same connection before the limiter's first command.
limitsContract(
  'redis',
  () => {
    void client.flushall();
    return createAddressLimits({ ...policy, baseMs: 1000, opensPerMinute: 3, resumesPerMinute: 2 }, client);
  },
  1000,
);
