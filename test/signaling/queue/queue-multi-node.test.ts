import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { RedisServer } from '../../support/redis-server';
import type { TestClient } from '../../support/signaling-client';
import { askingHost, startQueueServer, technician } from './technician';

/** Two real server nodes on one real Redis: a request made on A is seen and picked on B, and a race has one winner. */
let redis: RedisServer;
let a: RunningSignalingServer;
let b: RunningSignalingServer;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

beforeAll(async () => {
  redis = await RedisServer.start();
  const options = { redisUrl: redis.url, helpRequestsPerAddressPerHour: 1000, hostOpensPerMinute: 1000 };
  [a, b] = await Promise.all([startQueueServer(options), startQueueServer(options)]);
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await redis.stop();
});

describe('support queue across two nodes', () => {
  it('a request made on A appears live on B, is picked on B, and the host on A is asked', async () => {
    const consoleB = track(await technician(b));
    consoleB.send({ type: 'queue.watch' });
    await consoleB.next('queue.snapshot');
    const { host, queued } = await askingHost(a.wsUrl);
    track(host);
    expect((await consoleB.next('queue.added')).request.requestId).toBe(queued.requestId);

    const picker = track(await technician(b));
    picker.send({ type: 'queue.pick', requestId: queued.requestId });
    await picker.next('queue.picked');
    expect((await consoleB.next('queue.removed')).reason).toBe('picked');
    const request = await host.next('join.request');
    expect(request.identity?.email).toBe('tech@example.com');
    expect(request.description).toBe('Printer says <b>offline</b>');
    host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
    await picker.next('join.accepted');
  });

  it('technicians on A and on B race for one request: exactly one wins, the other hears it at once', async () => {
    for (let round = 0; round < 5; round++) {
      const { host, queued } = await askingHost(round % 2 ? a.wsUrl : b.wsUrl);
      track(host);
      const pickers = [track(await technician(a)), track(await technician(b))];
      for (const p of pickers) p.send({ type: 'queue.pick', requestId: queued.requestId });
      const outcome = await Promise.all(
        pickers.map((c) => Promise.race([c.next('queue.picked').then(() => 'won'), c.next('queue.taken').then(() => 'lost')])),
      );
      expect(outcome.sort()).toEqual(['lost', 'won']);
      await host.next('join.request');
      expect(await host.nothing('help.ended', 100)).toBe(true);
    }
  });

  it('a console on B sees the waiting requests made on A in its snapshot, and a cancel on A', async () => {
    const { host, queued } = await askingHost(a.wsUrl, { description: 'VPN drops every hour' });
    track(host);
    const consoleB = track(await technician(b));
    consoleB.send({ type: 'queue.watch' });
    const snapshot = await consoleB.next('queue.snapshot');
    expect(snapshot.requests.map((r) => r.requestId)).toContain(queued.requestId);
    host.send({ type: 'help.cancel' });
    expect(await consoleB.next('queue.removed')).toMatchObject({ requestId: queued.requestId, reason: 'cancelled' });
  });
});
