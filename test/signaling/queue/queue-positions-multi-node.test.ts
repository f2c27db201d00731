import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { RedisServer } from '../../support/redis-server';
import type { TestClient } from '../../support/signaling-client';
import { askingHost, startQueueServer, technician } from './technician';

/**
 * A person waiting on node A sees their place move when the requests ahead of them change on node B — picked,
 * cancelled, handed over back to the queue, denied and requeued — with two real nodes on one real Redis: the only
 * way A hears of those is the queue's pub/sub events.
 */
let redis: RedisServer;
let a: RunningSignalingServer;
let b: RunningSignalingServer;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

beforeAll(async () => {
  redis = await RedisServer.start();
  const options = { redisUrl: redis.url, helpRequestsPerAddressPerHour: 1000, hostOpensPerMinute: 1000, teams: ['network'] };
  [a, b] = await Promise.all([startQueueServer(options), startQueueServer(options)]);
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all([a.close(), b.close()]);
  await redis.stop();
});

it('a person waiting on A sees their place change as requests ahead are picked, cancelled, handed over and requeued on B', async () => {
  const ahead = [];
  for (let i = 0; i < 4; i++) ahead.push(await askingHost(b.wsUrl, { description: `ahead ${i}` }));
  ahead.forEach((h) => track(h.host));
  // Queue order is by creation time (ties by random id): the person on A must be strictly later than all four.
  const last = ahead[3].queued.waitingSince;
  while (Date.now() <= last) await new Promise((r) => setImmediate(r));
  const person = await askingHost(a.wsUrl, { description: 'waits on A' });
  track(person.host);
  expect(person.queued.position).toBe(5);
  const place = async () => (await person.host.next('help.position')).position;

  // Picked on B (and allowed: the technician is admitted, ready to hand over later).
  const tina = track(await technician(b, 'tina@example.com', 'Tina Tech'));
  tina.send({ type: 'queue.pick', requestId: ahead[0].queued.requestId });
  expect(await place()).toBe(4);
  const asked = await ahead[0].host.next('join.request');
  ahead[0].host.send({ type: 'host.decide', requestId: asked.requestId, allow: true });
  await tina.next('join.accepted');

  // Cancelled on B.
  ahead[1].host.send({ type: 'help.cancel' });
  expect(await place()).toBe(3);

  // Handed over on B back to the general queue: the person handed on keeps their earlier place, ahead of A's.
  tina.send({ type: 'help.handover', to: {} });
  await ahead[0].host.next('help.queued');
  expect(await place()).toBe(4);

  // Picked on B, then denied with requeue: out of the line and back into its old place.
  const olga = track(await technician(b, 'olga@example.com', 'Olga Other'));
  olga.send({ type: 'queue.pick', requestId: ahead[2].queued.requestId });
  expect(await place()).toBe(3);
  const again = await ahead[2].host.next('join.request');
  ahead[2].host.send({ type: 'host.decide', requestId: again.requestId, allow: false, requeue: true });
  await ahead[2].host.next('help.queued');
  expect(await place()).toBe(4);
  expect(await person.host.nothing('help.position', 200)).toBe(true);
}, 60_000);

it('a place is counted from its line in Redis, never by reading every waiting record (1,000 of them cost ms per request)', async () => {
  const stats = new Redis(redis.url);
  const hvalsCalls = async () => Number(/cmdstat_hvals:calls=(\d+)/.exec(await stats.info('commandstats'))?.[1] ?? 0);
  try {
    const other = track((await askingHost(a.wsUrl, { team: 'network' })).host);
    const before = await hvalsCalls();
    const first = await askingHost(b.wsUrl, { team: 'network' });
    track(first.host);
    const second = await askingHost(a.wsUrl, { team: 'network' });
    track(second.host);
    expect(await hvalsCalls()).toBe(before);
    expect(second.queued.position).toBe(first.queued.position + 1);
    other.send({ type: 'help.cancel' });
    expect((await second.host.next('help.position')).position).toBe(second.queued.position - 1);
  } finally {
    stats.disconnect();
  }
});
