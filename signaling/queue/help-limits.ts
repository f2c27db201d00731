import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Help requests one address may make per hour, counted across nodes when they share Redis. The returned function
 * takes one point: 0 when allowed, else the ms until the next is.
 */
export function helpRequestsPerAddress(points: number, redis?: Redis): (address: string) => Promise<number> {
  const limiter = redis
    ? new RateLimiterRedis({ storeClient: redis, keyPrefix: 'peerdesk:limit:help', points, duration: 3600 })
    : new RateLimiterMemory({ keyPrefix: 'help', points, duration: 3600 });
  return async (address) => {
    try {
      await limiter.consume(address);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
      throw err;
    }
  };
}
