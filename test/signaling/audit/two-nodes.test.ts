import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer } from '../../../signaling/server';
import { verifyChain } from '../../../signaling/audit/verify';
import { PostgresServer } from '../../support/postgres-server';
import { RedisServer } from '../../support/redis-server';
import { TestClient } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

let pg: PostgresServer;
let redis: RedisServer;
beforeAll(async () => {
  [pg, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
});
afterAll(async () => {
  await Promise.all([pg?.destroy(), redis?.stop()]);
});

it('two nodes writing one PostgreSQL at once keep one verifiable chain with every record', async () => {
  const url = await freshAuditUrl('postgres', pg);
  const nodes = await Promise.all(
    [1, 2].map(() =>
      startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), hostOpensPerMinute: 10_000, redisUrl: redis.url, auditDb: url }),
    ),
  );
  // Sessions on both nodes at once, each host on one node and its viewer on the other: both nodes append all the time.
  const offer = { type: 'offer', sdp: 'v=0\r\n' };
  const clients = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const [a, b] = i % 2 ? nodes : [nodes[1], nodes[0]];
      const host = await TestClient.connect(a.wsUrl);
      host.send({ type: 'host.open', v: 1 });
      const opened = await host.next('host.opened');
      const viewer = await TestClient.connect(b.wsUrl);
      viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: `Tech ${i}` });
      const request = await host.next('join.request');
      host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
      await viewer.next('join.accepted');
      host.send({ type: 'audit.report', event: { type: 'clipboard.sent', size: i } });
      host.send({ type: 'signal', data: offer });
      await viewer.next('signal');
      viewer.send({ type: 'audit.report', event: { type: 'control', action: 'requested' } });
      viewer.send({ type: 'signal', data: offer });
      await host.next('signal');
      return [host, viewer];
    }),
  );
  // Sessions on Redis outlive the nodes; closing them flushes each node's trail.
  // No write failed: an append that lost the race for the head chained onto the winner's (dialect.ts appendBatch).
  for (const node of nodes) {
    const failures = await node.metrics.registry.getSingleMetric('peerdesk_audit_write_failures_total')?.get();
    expect(failures?.values[0]?.value ?? 0).toBe(0);
  }
  await Promise.all(nodes.map((n) => n.close()));
  clients.flat().forEach((c) => c.close());

  const store = openStore(url);
  const records = await allRecords(store);
  // Per session: created, join, allowed, and the two reports.
  expect(records).toHaveLength(12 * 5);
  expect(new Set(records.map((r) => r.session)).size).toBe(12);
  expect(await verifyChain(store)).toEqual({ ok: true, records: 60, fromSeq: 1, headSeq: 60 });
  await store.close();
});
