import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../signaling/config';
import type { RedisRouter } from '../../signaling/redis/redis-router';
import { startRedisRouters } from '../support/redis-routers';

/**
 * How long a silent node lives is the node's setting (`--node-dead-after`), 10 s unless told: the multi-node tests
 * shorten it so that a death is noticed without waiting out the default.
 */
let nodes: Awaited<ReturnType<typeof startRedisRouters<'node-usual' | 'node-quick'>>>;
let pub: Redis;
let usual: RedisRouter;
let quick: RedisRouter;

beforeAll(async () => {
  nodes = await startRedisRouters({ 'node-usual': defaultConfig.nodeDeadAfterMs, 'node-quick': 400 });
  ({ pub } = nodes);
  ({ 'node-usual': usual, 'node-quick': quick } = nodes.routers);
});
afterAll(() => nodes.stop());

describe('node liveness', () => {
  it('each node says it is alive for its own time to live: 10 s by default, what it was told otherwise', async () => {
    expect(defaultConfig.nodeDeadAfterMs).toBe(10_000);
    expect(await pub.pttl('peerdesk:node-alive:node-usual')).toBeGreaterThan(9_000);
    const quickTtl = await pub.pttl('peerdesk:node-alive:node-quick');
    expect(quickTtl).toBeGreaterThan(0);
    expect(quickTtl).toBeLessThanOrEqual(400);
  });

  it('a node silent for longer than the reaper’s setting is reaped by it, and not by a node that waits longer', async () => {
    await pub
      .multi()
      .zadd('peerdesk:nodes', Date.now() - 1_000, 'node-gone')
      .sadd('peerdesk:node-sessions:node-gone', '123456789')
      .exec();
    const seenByUsual: string[][] = [];
    await usual.reapDeadNodes(async (codes) => void seenByUsual.push(codes));
    expect(seenByUsual).toEqual([]);
    const seenByQuick: string[][] = [];
    await quick.reapDeadNodes(async (codes) => void seenByQuick.push(codes));
    // (It may reap the other router too: that one reports every 3 s, far beyond this reaper's 0.4 s.)
    expect(seenByQuick).toContainEqual(['123456789']);
  });
});
