import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { createAuditMetrics } from '../../../signaling/audit/audit-metrics';
import { AuditTrail } from '../../../signaling/audit/audit-trail';
import { verifyChain } from '../../../signaling/audit/verify';
import { PostgresServer } from '../../support/postgres-server';
import { TestClient, pairedSession } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await PostgresServer.start();
});
afterAll(async () => {
  await pg?.destroy();
});

async function metric(registry: Registry, name: string): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values[0]?.value ?? 0;
}

/** A pino logger whose lines a test can read. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

const offer = { type: 'offer', sdp: 'v=0\r\n' };

describe('PostgreSQL going away mid-session', () => {
  it('stalls nothing: signals relay, joins and decisions are answered, and the records arrive once it is back', async () => {
    const url = await freshAuditUrl('postgres', pg);
    const server: RunningSignalingServer = await startSignalingServer({
      port: 0,
      logger: pino({ level: 'silent' }),
      auditDb: url,
    });
    const { registry } = server.metrics;
    const { host, viewer, opened } = await pairedSession(server.wsUrl);
    await vi.waitFor(async () => expect(await metric(registry, 'peerdesk_audit_written_total')).toBe(3), { timeout: 10_000 });

    await pg.stop();
    host.send({ type: 'signal', data: offer });
    expect((await viewer.next('signal')).data).toEqual(offer);
    viewer.send({ type: 'audit.report', event: { type: 'control', action: 'requested' } });
    viewer.send({ type: 'signal', data: offer });
    await host.next('signal');
    viewer.send({ type: 'leave' });
    await host.next('peer.left');
    const { pin } = await host.next('session.pin');
    const second = await TestClient.connect(server.wsUrl);
    second.send({ type: 'viewer.join', v: 1, code: opened.code, pin, name: 'Second' });
    const request = await host.next('join.request');
    host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
    await second.next('join.accepted');
    await vi.waitFor(async () => expect(await metric(registry, 'peerdesk_audit_write_failures_total')).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    expect(await metric(registry, 'peerdesk_audit_buffered')).toBe(4);
    expect(await metric(registry, 'peerdesk_audit_written_total')).toBe(3);

    await pg.start();
    await vi.waitFor(async () => expect(await metric(registry, 'peerdesk_audit_buffered')).toBe(0), { timeout: 15_000 });
    expect(await metric(registry, 'peerdesk_audit_written_total')).toBe(7);
    expect(await metric(registry, 'peerdesk_audit_dropped_total')).toBe(0);
    host.send({ type: 'leave' });
    await second.next('session.ended');
    for (const c of [host, viewer, second]) c.close();
    await server.close();

    const store = openStore(url);
    const records = await allRecords(store);
    expect(records.map((r) => `${r.type}${r.type === 'join.attempt' ? ` ${JSON.parse(r.fields).result}` : ''}`)).toEqual([
      'session.created',
      'join.attempt pending',
      'view.decision',
      // written after the outage, in the order they happened
      'control',
      'viewer.left',
      'join.attempt pending',
      'view.decision',
      'session.ended',
    ]);
    expect(await verifyChain(store)).toMatchObject({ ok: true });
    await store.close();
  });

  it('counts and logs what overflows the buffer while the database is away, and writes the rest when it returns', async () => {
    const url = await freshAuditUrl('postgres', pg);
    const registry = new Registry();
    const metrics = createAuditMetrics(registry);
    const { log, lines } = capturedLog();
    const trail = new AuditTrail(openStore(url), metrics, log, { maxBuffered: 3, retryMs: 100 });
    await pg.stop();
    for (let size = 1; size <= 5; size++) trail.record({ reportedBy: 'host', event: { type: 'clipboard.sent', size } });
    expect(await metric(registry, 'peerdesk_audit_dropped_total')).toBe(2);
    expect(await metric(registry, 'peerdesk_audit_buffered')).toBe(3);
    expect(lines.some((l) => l.msg === 'audit record dropped' && l.type === 'clipboard.sent')).toBe(true);
    // The first write is tried when the batch's window ends (the trail's flushMs), then fails on the stopped server.
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'audit database unreachable; records wait in memory')).toBe(true), {
      timeout: 10_000,
    });
    await pg.start();
    await vi.waitFor(async () => expect(await metric(registry, 'peerdesk_audit_written_total')).toBe(3), { timeout: 15_000 });
    expect(lines.some((l) => l.msg === 'audit database reachable again; buffered records written' && l.dropped === 2)).toBe(true);
    await trail.close();
    const store = openStore(url);
    expect((await allRecords(store)).map((r) => JSON.parse(r.fields).size)).toEqual([1, 2, 3]);
    await store.close();
  });
});
