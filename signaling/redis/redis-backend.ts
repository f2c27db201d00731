import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LocalConnections } from '../connection-router';
import { RedisLocks } from './redis-locks';
import { RedisRouter } from './redis-router';
import { RedisSessionStore } from './redis-session-store';

/**
 * Everything a node shares with the others through one Redis: sessions, locks, signal routing (and the client the
 * address limits use). Commands fail at once while Redis is unreachable (no offline queue), so a message gets a
 * coded "unavailable" instead of hanging, and `/healthz` reports the node unhealthy until Redis is back.
 */
export async function connectRedisBackend(url: string, node: string, local: LocalConnections, log: Logger, deadAfterMs: number) {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Reconnect quickly and forever: a node outlives a Redis restart.
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    lazyConnect: true,
  });
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
  await redis.connect();
  const router = await RedisRouter.start(node, local, redis, deadAfterMs);
  return {
    redis,
    store: new RedisSessionStore(redis),
    locks: new RedisLocks(redis),
    router,
    async close() {
      await router.stop();
      redis.disconnect();
    },
  };
}
