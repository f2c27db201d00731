import type { ChainableCommander, Redis } from 'ioredis';
import { NODE_SESSIONS, nodeOf } from './keys';
import { nextDeadline, type SessionRecord, type SessionStore } from '../session-store';

const KEY = (code: string) => `peerdesk:session:${code}`;
/** Sorted set: code → the epoch ms the sweeper must look at it next (any node's sweeper may). */
const DEADLINES = 'peerdesk:session-deadlines';
const WRONG_PINS = (code: string) => `peerdesk:wrong-pins:${code}`;
/** A record outlives its last deadline by this much, then Redis drops it even if no sweeper ran (all nodes down). */
const TTL_MARGIN_MS = 60_000;
/** A live pairing has no deadline; its record still goes away a day after its last change, whatever happens. */
const LIVE_TTL_MS = 24 * 60 * 60_000;
/** Wrong-PIN counts outlive any session (codes are not reused while their record lives). */
const WRONG_PINS_TTL_MS = 60 * 60_000;

/**
 * Sessions in Redis: one JSON value per code with a TTL, a sorted set of deadlines for the sweepers, and per node
 * the codes with a side connected there (for when that node dies).
 * Every node sees the same sessions, so a client may resume on any node and a restarted node loses nothing.
 */
export class RedisSessionStore implements SessionStore {
  readonly shared = true;

  constructor(private readonly redis: Redis) {}

  async create(record: SessionRecord): Promise<boolean> {
    const ok = await this.redis.set(KEY(record.code), JSON.stringify(record), 'PX', this.ttl(record), 'NX');
    if (ok) await this.index(this.redis.multi().del(WRONG_PINS(record.code)), record).exec();
    return ok === 'OK';
  }

  async get(code: string): Promise<SessionRecord | undefined> {
    const [json, wrong] = await this.redis.multi().get(KEY(code)).get(WRONG_PINS(code)).exec().then(results);
    if (!json) return undefined;
    const record = JSON.parse(json as string) as SessionRecord;
    record.wrongPins = Math.max(record.wrongPins, Number(wrong ?? 0));
    return record;
  }

  async put(record: SessionRecord): Promise<void> {
    await this.index(this.redis.multi().set(KEY(record.code), JSON.stringify(record), 'PX', this.ttl(record)), record).exec();
  }

  /** The sweepers' deadline (none for a live pairing) and the per-node index of sides. */
  private index(multi: ChainableCommander, record: SessionRecord): ChainableCommander {
    const deadline = nextDeadline(record);
    if (Number.isFinite(deadline)) multi.zadd(DEADLINES, deadline, record.code);
    else multi.zrem(DEADLINES, record.code);
    for (const id of [record.hostConnectionId, record.viewer?.connectionId]) if (id) multi.sadd(NODE_SESSIONS(nodeOf(id)), record.code);
    return multi;
  }

  async delete(code: string): Promise<void> {
    await this.redis.multi().del(KEY(code)).del(WRONG_PINS(code)).zrem(DEADLINES, code).exec();
  }

  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(DEADLINES, 0, now, 'LIMIT', 0, 500);
  }

  async addWrongPin(code: string): Promise<number> {
    const [n] = await this.redis.multi().incr(WRONG_PINS(code)).pexpire(WRONG_PINS(code), WRONG_PINS_TTL_MS).exec().then(results);
    return Number(n);
  }

  async size(): Promise<number> {
    return this.redis.zcard(DEADLINES);
  }

  healthy(): boolean {
    return this.redis.status === 'ready';
  }

  private ttl(record: SessionRecord): number {
    const deadline = nextDeadline(record);
    return Number.isFinite(deadline) ? Math.max(1000, deadline - Date.now() + TTL_MARGIN_MS) : LIVE_TTL_MS;
  }
}

/** A MULTI's replies, failing on the first error. */
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('redis transaction aborted');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
