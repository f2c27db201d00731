import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnections } from '../../signaling/connection-router';
import { decodeBatch, encodeFrame } from '../../signaling/redis/node-frames';
import { RedisRouter } from '../../signaling/redis/redis-router';
import { RedisServer } from '../support/redis-server';

/**
 * Crossing nodes costs one PUBLISH per peer node per turn of the event loop, not one per signal: what made a
 * relayed signal cost ~2.5× one node's CPU (bench/results/signaling.json, 2026-12-05).
 */
let redis: RedisServer;
let pub: Redis;
let watcher: Redis;
let router: RedisRouter;

beforeAll(async () => {
  redis = await RedisServer.start();
  pub = new Redis(redis.url, { lazyConnect: true });
  await pub.connect();
  watcher = new Redis(redis.url);
  router = await RedisRouter.start('node-a', new LocalConnections(), pub);
});
afterAll(async () => {
  await router.stop();
  pub.disconnect();
  watcher.disconnect();
  await redis.stop();
});

describe('RedisRouter batching', () => {
  it('puts every frame bound for one node during one turn into one PUBLISH, in order', async () => {
    await watcher.subscribe('peerdesk:node:node-b');
    const batches: Buffer[] = [];
    const got = new Promise<void>((resolve) =>
      watcher.on('messageBuffer', (_channel: Buffer, batch: Buffer) => {
        batches.push(batch);
        if ([...batches.flatMap((b) => [...decodeBatch(b)])].length >= 100) resolve();
      }),
    );
    for (let i = 0; i < 100; i++) router.send(`node-b.conn-${i % 3}`, { type: 'peer.left', reason: `r${i}` } as never);
    await got;
    expect(batches).toHaveLength(1);
    const frames = [...decodeBatch(batches[0]!)];
    expect(frames.map((f) => f.id)).toEqual(Array.from({ length: 100 }, (_, i) => `node-b.conn-${i % 3}`));
    expect(JSON.parse(frames[99]!.payload.toString())).toEqual({ type: 'peer.left', reason: 'r99' });
  });
});

describe('RedisRouter flush window', () => {
  it('sends a lone frame at the end of its turn, then gathers the frames of the next turns for FLUSH_GAP_MS', async () => {
    await watcher.subscribe('peerdesk:node:node-c');
    const batches: string[][] = [];
    const got = new Promise<void>((resolve) =>
      watcher.on('messageBuffer', (channel: Buffer, batch: Buffer) => {
        if (channel.toString() !== 'peerdesk:node:node-c') return;
        batches.push(decodeBatch(batch).map((f) => f.id));
        if (batches.flat().length >= 10) resolve();
      }),
    );
    // One frame per turn of the event loop, ten turns in a row (well under a millisecond in all).
    for (let i = 0; i < 10; i++) {
      router.unbind(`node-c.conn-${i}`);
      await new Promise((r) => setImmediate(r));
    }
    await got;
    // The first went alone, straight away; the other nine did not cost a PUBLISH each (one, or two if a turn stalled).
    expect(batches[0]).toEqual(['node-c.conn-0']);
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => `node-c.conn-${i}`));
  });
});

describe('node frames', () => {
  it('round-trip op, id, argument and a binary payload; a truncated tail is dropped, not misread', () => {
    const payload = Buffer.from('{"type":"signal","data":"ä\\n\\t"}');
    const batch = Buffer.concat([encodeFrame('forward', 'n.1', '', payload), encodeFrame('close', 'n.2', 'resumed elsewhere', '')]);
    expect([...decodeBatch(batch)].map((f) => [f.op, f.id, f.arg, f.payload.toString()])).toEqual([
      ['forward', 'n.1', '', payload.toString()],
      ['close', 'n.2', 'resumed elsewhere', ''],
    ]);
    expect([...decodeBatch(batch.subarray(0, batch.length - 3))]).toHaveLength(1);
  });

  it('keep a tab or non-ASCII text in the argument whole, and read a text payload as its UTF-8 bytes', () => {
    const batch = Buffer.concat([encodeFrame('close', 'n.3', 'gone\tfor güt', ''), encodeFrame('send', 'n.4', '', '{"reason":"ä"}')]);
    expect(decodeBatch(batch).map((f) => [f.op, f.id, f.arg, f.payload.toString()])).toEqual([
      ['close', 'n.3', 'gone\tfor güt', ''],
      ['send', 'n.4', '', '{"reason":"ä"}'],
    ]);
  });
});
