import { expect, it, vi } from 'vitest';
import pino from 'pino';
import { startSignalingServer } from '../../../signaling/server';
import { pairedSession, TestClient } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

const saved = { type: 'recording.saved', recordingId: 'rec-late-0001', sha256: 'b'.repeat(64), size: 4096, durationMs: 1500 };

it("a side's report just after its session ended (a recording that finished saving) is filed under that session", async () => {
  const url = await freshAuditUrl('sqlite');
  const server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), hostOpensPerMinute: 10_000, auditDb: url });
  const clients: TestClient[] = [];
  const store = openStore(url);
  try {
    const { host, viewer } = await pairedSession(server.wsUrl);
    clients.push(host, viewer);
    host.send({ type: 'leave' });
    await viewer.next('session.ended');

    viewer.send({ type: 'audit.report', event: saved });
    // A connection that was never a side of any session is still refused.
    const stranger = await TestClient.connect(server.wsUrl);
    clients.push(stranger);
    stranger.send({ type: 'audit.report', event: saved });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_BAD_STATE');

    let records = await allRecords(store);
    await vi.waitFor(
      async () => {
        records = await allRecords(store);
        expect(records.filter((r) => r.type === 'recording.saved')).toHaveLength(1);
      },
      { timeout: 10_000 },
    );
    const created = records.find((r) => r.type === 'session.created')!;
    const late = records.find((r) => r.type === 'recording.saved')!;
    expect(late).toMatchObject({ session: created.session, code: created.code, reportedBy: 'viewer' });
    expect(JSON.parse(late.fields)).toEqual({
      recordingId: saved.recordingId,
      sha256: saved.sha256,
      size: saved.size,
      durationMs: saved.durationMs,
    });
    // Filed after the end, in the order it came.
    expect(records.findIndex((r) => r.type === 'session.ended')).toBeLessThan(records.indexOf(late));
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await store.close();
  }
});
