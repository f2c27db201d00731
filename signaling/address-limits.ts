import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

/**
 * Per-address limits on the actions an attacker repeats: wrong PINs (exponential backoff, never forgiven by a
 * success), session opens and session resumes (each may hand out TURN credentials). Counters live in rate-limiter-flexible, in memory for
 * one process or in Redis when several nodes share the load, so 5 wrong PINs spread over two nodes count as 5.
 */
export interface AddressLimits {
  /** Milliseconds the address must wait before its next join is even looked at (0: now). */
  joinRetryAfter(address: string): Promise<number>;
  recordJoinFailure(address: string): Promise<void>;
  /** Takes one session open; 0 when allowed, else milliseconds until the next one is. */
  takeOpen(address: string): Promise<number>;
  /** Takes one session resume; 0 when allowed, else milliseconds until the next one is. */
  takeResume(address: string): Promise<number>;
}

export interface AddressLimitOptions {
  /** The failure that starts the backoff (3: the third wrong guess waits `baseMs`). */
  failuresBeforeBackoff: number;
  baseMs: number;
  maxMs: number;
  opensPerMinute: number;
  resumesPerMinute: number;
  /** How long an address's wrong PINs are remembered, from its first one. */
  failureMemoryS?: number;
}

/** The wait after an address's `failures`-th wrong PIN: base, 2×base, 4×base … capped; none before the threshold. */
export function joinBackoffMs(failures: number, o: Pick<AddressLimitOptions, 'failuresBeforeBackoff' | 'baseMs' | 'maxMs'>): number {
  const over = failures - o.failuresBeforeBackoff;
  return over < 0 ? 0 : Math.min(o.maxMs, o.baseMs * 2 ** over);
}

/** Prefixes every key, so several PeerDesk deployments may share one Redis. */
const KEY_PREFIX = 'peerdesk:limit';

export function createAddressLimits(o: AddressLimitOptions, redis?: Redis): AddressLimits {
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${KEY_PREFIX}:${keyPrefix}`, points, duration })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  const failures = make('join-failures', Number.MAX_SAFE_INTEGER, o.failureMemoryS ?? 3600);
  // A key "blocked" here is an address serving its backoff; one point, so any consumed point means blocked.
  const backoff = make('join-backoff', 1, 1);
  const opens = make('opens', o.opensPerMinute, 60);
  const resumes = make('resumes', o.resumesPerMinute, 60);
  // Redis keeps expiries in whole seconds (rate-limiter-flexible rounds down): round waits up there, never to 0.
  const seconds = (ms: number) => (redis ? Math.max(1, Math.ceil(ms / 1000)) : ms / 1000);

  return {
    async joinRetryAfter(address) {
      const res = await backoff.get(address);
      return res && res.consumedPoints > 1 ? Math.max(0, res.msBeforeNext) : 0;
    },
    async recordJoinFailure(address) {
      const res = await failures.consume(address);
      const wait = joinBackoffMs(res.consumedPoints, o);
      if (wait > 0) await backoff.block(address, seconds(wait));
    },
    takeOpen: (address) => takePoint(opens, address),
    takeResume: (address) => takePoint(resumes, address),
  };
}

/** Takes one point: 0 when allowed, else the ms until the next is. */
export async function takePoint(limiter: RateLimiterAbstract, address: string): Promise<number> {
  try {
    await limiter.consume(address);
    return 0;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
    throw err;
  }
}
