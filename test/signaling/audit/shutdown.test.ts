import { afterEach, expect, it, vi } from 'vitest';
import pino from 'pino';
import { startSignalingServer } from '../../../signaling/server';
import { MemorySessionStore } from '../../../signaling/session-store';
import { verifyChain } from '../../../signaling/audit/verify';
import { pairedSession } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

afterEach(() => {
  vi.restoreAllMocks();
});

async function endedRecords(url: string) {
  const store = openStore(url);
  const records = await allRecords(store);
  expect(await verifyChain(store)).toMatchObject({ ok: true });
  await store.close();
  return records.filter((r) => r.type === 'session.ended').map((r) => JSON.parse(r.fields).reason as string);
}

it('a session still open when the server shuts down is recorded as ended once, by the shutdown', async () => {
  const url = await freshAuditUrl('sqlite');
  const server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), auditDb: url });
  const { host, viewer } = await pairedSession(server.wsUrl);
  await server.close();
  host.close();
  viewer.close();
  expect(await endedRecords(url)).toEqual(['server-shutdown']);
});

it('a host leave in flight when the server shuts down ends the session once: no second `ended` from the shutdown', async () => {
  const url = await freshAuditUrl('sqlite');
  const server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), auditDb: url });
  const { host, viewer } = await pairedSession(server.wsUrl);
  // Holds the leave where the race was: under the session's lock, its session not yet gone from the store.
  let reached!: () => void;
  let release!: () => void;
  const leaveReached = new Promise<void>((r) => (reached = r));
  const released = new Promise<void>((r) => (release = r));
  const realDelete = MemorySessionStore.prototype.delete;
  vi.spyOn(MemorySessionStore.prototype, 'delete').mockImplementationOnce(async function (this: MemorySessionStore, code: string) {
    reached();
    await released;
    return realDelete.call(this, code);
  });
  host.send({ type: 'leave' });
  await leaveReached;
  const closed = server.close();
  release();
  await closed;
  host.close();
  viewer.close();
  expect(await endedRecords(url)).toEqual(['host-left']);
});
