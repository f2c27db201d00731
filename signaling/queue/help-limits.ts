import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { takePoint } from '../address-limits';

/**
 * Help requests one address may make per hour, counted across nodes when they share Redis. The returned function
 * takes one point: 0 when allowed, else the ms until the next is.
 */
export function helpRequestsPerAddress(points: number, redis?: Redis): (address: string) => Promise<number> {
  const limiter = redis
    ? new RateLimiterRedis({ storeClient: redis, keyPrefix: 'peerdesk:limit:help', points, duration: 3600 })
    : new RateLimiterMemory({ keyPrefix: 'help', points, duration: 3600 });
  return (address) => takePoint(limiter, address);
}
