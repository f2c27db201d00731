import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAddressLimits, joinBackoffMs } from '../../signaling/address-limits';
import { RedisServer } from '../support/redis-server';

const policy = { failuresBeforeBackoff: 3, baseMs: 1000, maxMs: 300_000 };

describe('joinBackoffMs', () => {
  it('lets two failures through, then the third waits 1 s, and every later one doubles: 2 s, 4 s … up to 5 min', () => {
    const waits = Array.from({ length: 14 }, (_, i) => joinBackoffMs(i + 1, policy));
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });
});

/**
 * The same checks against each back-end: what one node and several nodes enforce must not differ. A wait is read
 * back some time after it started; `Date.now()` bounds that time (frozen for the in-memory limits, whose clock it
 * is; Redis keeps its own, so there the bound is the real time that passed, however loaded the machine).
 */
function limitsContract(name: string, make: () => ReturnType<typeof createAddressLimits>, unit: number) {
  describe(`address limits (${name})`, () => {
    /** What is left of a wait of `ms` that started at `since`: at most all of it, at least all but the time since. */
    const expectLeftOf = (left: number, ms: number, since: number) => {
      expect(left).toBeLessThanOrEqual(ms);
      // A millisecond for the rounding of two whole-millisecond clocks (Redis's and this process's).
      expect(left).toBeGreaterThanOrEqual(ms - (Date.now() - since) - 1);
    };

    it('blocks an address from its third failure, for the doubled wait of each later one, and per address only', async () => {
      const limits = make();
      await limits.recordJoinFailure('a');
      await limits.recordJoinFailure('a');
      expect(await limits.joinRetryAfter('a')).toBe(0);
      const thirdAt = Date.now();
      await limits.recordJoinFailure('a');
      expectLeftOf(await limits.joinRetryAfter('a'), unit, thirdAt);
      const fourthAt = Date.now();
      await limits.recordJoinFailure('a');
      expectLeftOf(await limits.joinRetryAfter('a'), unit * 2, fourthAt);
      expect(await limits.joinRetryAfter('b')).toBe(0);
    });

    it('allows the configured opens per minute, then says how long to wait', async () => {
      const limits = make();
      const firstAt = Date.now();
      for (let i = 0; i < 3; i++) expect(await limits.takeOpen('a')).toBe(0);
      expectLeftOf(await limits.takeOpen('a'), 60_000, firstAt);
      expect(await limits.takeOpen('b')).toBe(0);
    });

    it('counts resumes apart from opens, per address', async () => {
      const limits = make();
      const firstAt = Date.now();
      for (let i = 0; i < 2; i++) expect(await limits.takeResume('a')).toBe(0);
      expectLeftOf(await limits.takeResume('a'), 60_000, firstAt);
      expect(await limits.takeOpen('a')).toBe(0);
      expect(await limits.takeResume('b')).toBe(0);
    });
  });
}

// In memory, waits keep their milliseconds, on this process's clock: frozen here, so each wait reads back exactly.
describe('in memory, on a frozen clock', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());
  limitsContract('memory', () => createAddressLimits({ ...policy, baseMs: 200, opensPerMinute: 3, resumesPerMinute: 2 }), 200);

  it('a wait runs out as the clock moves: at its end the address may join again', async () => {
    const limits = createAddressLimits({ ...policy, baseMs: 200, opensPerMinute: 3, resumesPerMinute: 2 });
    for (let i = 0; i < 3; i++) await limits.recordJoinFailure('a');
    expect(await limits.joinRetryAfter('a')).toBe(200);
    vi.setSystemTime(Date.now() + 150);
    expect(await limits.joinRetryAfter('a')).toBe(50);
    vi.setSystemTime(Date.now() + 50);
    expect(await limits.joinRetryAfter('a')).toBe(0);
  });
});

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

describe('address limits in Redis', () => {
  it('keep every counter under peerdesk:limit:, one key space per limit, so deployments and limits never mix', async () => {
    await client.flushall();
    const limits = createAddressLimits({ ...policy, baseMs: 1000, opensPerMinute: 3, resumesPerMinute: 2 }, client);
    for (let i = 0; i < 3; i++) await limits.recordJoinFailure('a');
    await limits.takeOpen('a');
    await limits.takeResume('a');
    expect((await client.keys('*')).sort()).toEqual([
      'peerdesk:limit:join-backoff:a',
      'peerdesk:limit:join-failures:a',
      'peerdesk:limit:opens:a',
      'peerdesk:limit:resumes:a',
    ]);
  });

  it('a Redis that does not answer is an error, never a wait or a pass', async () => {
    const down = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const limits = createAddressLimits({ ...policy, opensPerMinute: 3, resumesPerMinute: 2 }, down);
    await expect(limits.takeOpen('a')).rejects.toThrow();
    await expect(limits.takeResume('a')).rejects.toThrow();
    down.disconnect();
  });
});
