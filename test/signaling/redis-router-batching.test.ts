import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBatch, encodeFrame } from '../../signaling/redis/node-frames';
import { defaultConfig } from '../../signaling/config';
import { FLUSH_GAP_MS, MAX_BATCH_BYTES, type RedisRouter } from '../../signaling/redis/redis-router';
import { startRedisRouters } from '../support/redis-routers';

/**
 * Crossing nodes costs one PUBLISH per peer node per turn of the event loop, not one per signal: what made a
 * relayed signal cost ~2.5× one node's CPU (bench/results/signaling.json, 2026-12-05).
 */
let nodes: Awaited<ReturnType<typeof startRedisRouters<'node-a'>>>;
let watcher: Redis;
let router: RedisRouter;

beforeAll(async () => {
  nodes = await startRedisRouters({ 'node-a': defaultConfig.nodeDeadAfterMs });
  router = nodes.routers['node-a'];
  watcher = new Redis(nodes.redis.url);
});
afterAll(async () => {
  watcher.disconnect();
  await nodes.stop();
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
    // The router's clock and timers only (the sockets stay real), so a busy machine cannot stretch the turns.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    try {
      vi.advanceTimersByTime(60_000); // well after any earlier PUBLISH
      router.unbind('node-c.conn-0');
      vi.advanceTimersByTime(0); // the end of its turn
      // One frame per later turn, a tenth of a millisecond apart: all within the window.
      for (let i = 1; i < 10; i++) {
        router.unbind(`node-c.conn-${i}`);
        vi.advanceTimersByTime(0.1);
      }
      vi.advanceTimersByTime(FLUSH_GAP_MS);
    } finally {
      vi.useRealTimers();
    }
    await got;
    expect(batches).toEqual([['node-c.conn-0'], Array.from({ length: 9 }, (_, i) => `node-c.conn-${i + 1}`)]);
  });
});

describe('RedisRouter batch size', () => {
  it('splits a turn that fills more than MAX_BATCH_BYTES into several PUBLISHes, every frame once and in order', async () => {
    await watcher.subscribe('peerdesk:node:node-d');
    const batches: Buffer[] = [];
    const got = new Promise<void>((resolve) =>
      watcher.on('messageBuffer', (channel: Buffer, batch: Buffer) => {
        if (channel.toString() !== 'peerdesk:node:node-d') return;
        batches.push(batch);
        if (batches.reduce((n, b) => n + decodeBatch(b).length, 0) >= 1000) resolve();
      }),
    );
    const signal = { type: 'signal', data: { type: 'candidate', candidate: 'x'.repeat(400) } };
    for (let i = 0; i < 1000; i++) router.send(`node-d.conn-${i}`, signal as never);
    await got;
    expect(batches.length).toBeGreaterThanOrEqual(5);
    for (const b of batches) expect(b.length).toBeLessThan(MAX_BATCH_BYTES + 1024);
    expect(batches.flatMap((b) => decodeBatch(b).map((f) => f.id))).toEqual(Array.from({ length: 1000 }, (_, i) => `node-d.conn-${i}`));
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
