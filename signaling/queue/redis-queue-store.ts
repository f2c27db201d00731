import type { Redis } from 'ioredis';
import type { HelpRecord, QueueEvent, QueueStore } from './queue-store';
import { before } from './queue-store';

const RECORDS = 'peerdesk:help';
const EXPIRY = 'peerdesk:help-expiry';
const CHANNEL = 'peerdesk:help-events';
/** Each request's line (the key of its sorted set): `take` finds the line to leave from it. */
const LINES = 'peerdesk:help-lines';
/** One sorted set per line (team, or the technician it was handed to), scored by creation time: places are counted there. */
const lineKey = (r: HelpRecord) => `peerdesk:help-line:${JSON.stringify([r.team ?? null, r.forTechnician ?? null])}`;

/** Full-queue check and insert in one step, so two nodes cannot both add the last place. */
const ADD = `if redis.call('hlen', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('hset', KEYS[1], ARGV[2], ARGV[3])
redis.call('zadd', KEYS[2], ARGV[4], ARGV[2])
redis.call('zadd', KEYS[3], ARGV[5], ARGV[2])
redis.call('hset', KEYS[4], ARGV[2], KEYS[3])
return 1`;

/** Removes the record from everywhere and returns it, in one step: exactly one of any number of racing callers gets it. */
const TAKE = `local json = redis.call('hget', KEYS[1], ARGV[1])
if not json then return false end
redis.call('hdel', KEYS[1], ARGV[1])
redis.call('zrem', KEYS[2], ARGV[1])
local line = redis.call('hget', KEYS[3], ARGV[1])
if line then
  redis.call('zrem', line, ARGV[1])
  redis.call('hdel', KEYS[3], ARGV[1])
end
return json`;

/** Rewrites the record's host connection only while it still waits (a take in between wins). */
const REBIND = `local json = redis.call('hget', KEYS[1], ARGV[1])
if not json then return false end
local record = cjson.decode(json)
record.hostConnectionId = ARGV[2]
json = cjson.encode(record)
redis.call('hset', KEYS[1], ARGV[1], json)
return json`;

/**
 * Waiting requests in Redis: a hash of records, a sorted set of expiries and one of creation times per line (a place
 * is counted from that, never from every record). `take` is one script, so exactly one of any number of racing nodes
 * gets the record. Changes fan out over one pub/sub channel.
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
    const { id, expiresAt, createdAt } = record;
    const added = await this.redis.eval(
      ADD,
      4,
      RECORDS,
      EXPIRY,
      lineKey(record),
      LINES,
      max,
      id,
      JSON.stringify(record),
      expiresAt,
      createdAt,
    );
    return added === 1;
  }

  async take(id: string): Promise<HelpRecord | undefined> {
    const json = await this.redis.eval(TAKE, 3, RECORDS, EXPIRY, LINES, id);
    return typeof json === 'string' ? (JSON.parse(json) as HelpRecord) : undefined;
  }

  async ahead(record: HelpRecord): Promise<string[]> {
    // Ids and scores only (no record is read or parsed); ties in time go by id, as `before` orders them.
    const flat = await this.redis.zrangebyscore(lineKey(record), '-inf', record.createdAt, 'WITHSCORES');
    const ids: string[] = [];
    for (let i = 0; i < flat.length; i += 2) if (Number(flat[i + 1]) < record.createdAt || flat[i] < record.id) ids.push(flat[i]);
    return ids;
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
