import type { Redis } from 'ioredis';
import type { HelpRecord, QueueEvent, QueueStore } from './queue-store';
import { before } from './queue-store';

const RECORDS = 'peerdesk:help';
const EXPIRY = 'peerdesk:help-expiry';
const CHANNEL = 'peerdesk:help-events';
/** Full-queue check and insert in one step, so two nodes cannot both add the last place. */
const ADD = `if redis.call('hlen', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], ARGV[2], ARGV[3])
redis.call('zadd', KEYS[2], ARGV[4], ARGV[2])
return 1`;

/** Rewrites the record's host connection only while it still waits (a take in between wins). */
const REBIND = `local json = redis.call('hget', KEYS[1], ARGV[1])
if not json then return false end
local record = cjson.decode(json)
record.hostConnectionId = ARGV[2]
json = cjson.encode(record)
redis.call('hset', KEYS[1], ARGV[1], json)
return json`;

/**
 * Waiting requests in Redis: a hash of records and a sorted set of expiries. `take` is one MULTI (HGET + HDEL):
 * HDEL answers 1 to exactly one of any number of racing nodes. Changes fan out over one pub/sub channel.
 */
export class RedisQueueStore implements QueueStore {
  private readonly listeners: Array<(event: QueueEvent) => void> = [];

  private constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
  ) {}

  static async start(redis: Redis): Promise<RedisQueueStore> {
    const sub = redis.duplicate();
    const store = new RedisQueueStore(redis, sub);
    sub.on('message', (_channel: string, json: string) => {
      const event = JSON.parse(json) as QueueEvent;
      store.listeners.forEach((l) => l(event));
    });
    await sub.connect();
    await sub.subscribe(CHANNEL);
    return store;
  }

  async add(record: HelpRecord, max: number): Promise<boolean> {
    const added = await this.redis.eval(ADD, 2, RECORDS, EXPIRY, max, record.id, JSON.stringify(record), record.expiresAt);
    return added === 1;
  }

  async take(id: string): Promise<HelpRecord | undefined> {
    const replies = await this.redis.multi().hget(RECORDS, id).hdel(RECORDS, id).zrem(EXPIRY, id).exec();
    if (!replies || replies.some(([err]) => err)) throw new Error('redis transaction failed');
    const [[, json], [, deleted]] = replies;
    return deleted === 1 && typeof json === 'string' ? (JSON.parse(json) as HelpRecord) : undefined;
  }

  async get(id: string): Promise<HelpRecord | undefined> {
    const json = await this.redis.hget(RECORDS, id);
    return json ? (JSON.parse(json) as HelpRecord) : undefined;
  }

  async rebind(id: string, hostConnectionId: string): Promise<HelpRecord | undefined> {
    const json = await this.redis.eval(REBIND, 1, RECORDS, id, hostConnectionId);
    return typeof json === 'string' ? (JSON.parse(json) as HelpRecord) : undefined;
  }

  async list(): Promise<HelpRecord[]> {
    const records = (await this.redis.hvals(RECORDS)).map((json) => JSON.parse(json) as HelpRecord);
    return records.sort((a, b) => (before(a, b) ? -1 : 1));
  }

  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(EXPIRY, 0, now, 'LIMIT', 0, 200);
  }

  publish(event: QueueEvent): void {
    void this.redis.publish(CHANNEL, JSON.stringify(event)).catch(() => undefined);
  }

  onEvent(listener: (event: QueueEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.sub.disconnect();
  }
}
