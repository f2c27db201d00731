import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { askingHost, startQueueServer, technician } from './technician';

/**
 * 100 requests and 20 watching consoles (signed in with real cookies) on one real server, every console picking
 * at once: each console sees every request added exactly once and removed exactly once, and each request is
 * picked by exactly one technician (the others hear `queue.taken`).
 */
let server: RunningSignalingServer;
const clients: TestClient[] = [];
beforeAll(async () => {
  server = await startQueueServer({
    helpRequestsPerAddressPerHour: 10_000,
    maxConnectionsPerAddress: 1000,
    maxQueuedRequests: 1000,
    hostOpensPerMinute: 1000,
  });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

it('100 requests, 20 consoles: every request seen once by each, each picked once', async () => {
  const consoles = await Promise.all(Array.from({ length: 20 }, (_, i) => technician(server, `tech${i}@example.com`, `Tech ${i}`)));
  clients.push(...consoles);
  const added = consoles.map(() => new Map<string, number>());
  const removed = consoles.map(() => new Map<string, number>());
  consoles.forEach((c, i) =>
    c.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; request?: { requestId: string }; requestId?: string };
      const count = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
      if (m.type === 'queue.added') count(added[i], m.request!.requestId);
      if (m.type === 'queue.removed') count(removed[i], m.requestId!);
    }),
  );
  consoles.forEach((c) => c.send({ type: 'queue.watch' }));
  await Promise.all(consoles.map((c) => c.next('queue.snapshot')));
  const hosts = await Promise.all(Array.from({ length: 100 }, () => askingHost(server.wsUrl)));
  clients.push(...hosts.map((h) => h.host));
  const ids = hosts.map((h) => h.queued.requestId);
  await expect.poll(() => added.every((m) => m.size === 100), { timeout: 20_000 }).toBe(true);

  // Every technician tries every request, from a fresh connection each time, all at once.
  const winners = new Map<string, number>();
  await Promise.all(
    ids.map(async (id) => {
      const pickers = await Promise.all(consoles.slice(0, 5).map((_, i) => technician(server, `tech${i}@example.com`, `Tech ${i}`)));
      clients.push(...pickers);
      pickers.forEach((p) => p.send({ type: 'queue.pick', requestId: id }));
      const outcomes = await Promise.all(
        pickers.map((p) => Promise.race([p.next('queue.picked', 20_000).then(() => 1), p.next('queue.taken', 20_000).then(() => 0)])),
      );
      winners.set(
        id,
        outcomes.reduce<number>((a, b) => a + b, 0),
      );
    }),
  );
  expect([...winners.values()].every((n) => n === 1)).toBe(true);
  await expect.poll(() => removed.every((m) => m.size === 100), { timeout: 20_000 }).toBe(true);
  for (let i = 0; i < consoles.length; i++) {
    expect([...added[i].values()].every((n) => n === 1)).toBe(true);
    expect([...removed[i].values()].every((n) => n === 1)).toBe(true);
    expect([...added[i].keys()].sort()).toEqual([...ids].sort());
  }
}, 120_000);
