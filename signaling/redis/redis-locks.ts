import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { KeyedQueue } from '../keyed-queue';
import type { SessionLocks } from '../session-broker';

const LOCK = (code: string) => `peerdesk:lock:${code}`;
/** Longer than any session task (a few Redis round trips); a node that dies holding it frees it after this. */
const LOCK_TTL_MS = 5_000;
const RETRY_MS = 5;
const GIVE_UP_MS = 4_000;
/** Deletes the lock only if it is still ours (it may have expired and been taken by another node). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * One session task at a time across nodes: a Redis lock per code (SET NX PX, released by compare-and-delete).
 * Tasks on this node queue locally first, so a node never contends with itself.
 */
export class RedisLocks implements SessionLocks {
  private readonly queue = new KeyedQueue();

  constructor(private readonly redis: Redis) {}

  run<T>(code: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(code, async () => {
      const owner = randomBytes(12).toString('base64url');
      const deadline = Date.now() + GIVE_UP_MS;
      while ((await this.redis.set(LOCK(code), owner, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error('session lock busy');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
      try {
        return await task();
      } finally {
        await this.redis.eval(RELEASE, 1, LOCK(code), owner).catch(() => undefined);
      }
    });
  }
}
