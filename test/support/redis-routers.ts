import { Redis } from 'ioredis';
import { LocalConnections } from '../../signaling/connection-router';
import { RedisRouter } from '../../signaling/redis/redis-router';
import { RedisServer } from './redis-server';

/** A real redis-server and RedisRouters on it, one per node name, each with its own dead-after time (ms). */
export async function startRedisRouters<Name extends string>(
  deadAfterMs: Record<Name, number>,
): Promise<{ redis: RedisServer; pub: Redis; routers: Record<Name, RedisRouter>; stop(): Promise<void> }> {
  const redis = await RedisServer.start();
  const pub = new Redis(redis.url, { lazyConnect: true });
  await pub.connect();
  const routers = {} as Record<Name, RedisRouter>;
  for (const name of Object.keys(deadAfterMs) as Name[])
    routers[name] = await RedisRouter.start(name, new LocalConnections(), pub, deadAfterMs[name]);
  return {
    redis,
    pub,
    routers,
    async stop() {
      await Promise.all(Object.values<RedisRouter>(routers).map((r) => r.stop()));
      pub.disconnect();
      await redis.stop();
    },
  };
}
