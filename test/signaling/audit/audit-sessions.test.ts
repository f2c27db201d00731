import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../signaling/audit/audit-sink';
import type { AuditStore } from '../../../signaling/audit/audit-store';
import { auditSessions } from '../../../signaling/audit/audit-sessions';
import { PostgresServer } from '../../support/postgres-server';
import { freshAuditUrl, openStore } from './audit-db';

/**
 * Sessions folded from records written straight into a real store (SQLite and PostgreSQL) with chosen times, so durations and
 * control time are exact (the server stamps records with the clock; these tests pick it).
 */
const T0 = Date.parse('2026-12-01T09:00:00Z');
const min = (n: number) => T0 + n * 60_000;
const identity = { name: 'Tina', email: 'tina@example.com', org: 'Example IT', issuer: 'idp.example.com' };

let store: AuditStore | undefined;
let kind: 'sqlite' | 'postgres' = 'sqlite';
let pg: PostgresServer;
beforeAll(async () => {
  pg = await PostgresServer.start();
});
afterAll(() => pg?.destroy());
afterEach(() => store?.close());

async function storeWith(entries: AuditEntry[]): Promise<AuditStore> {
  store = openStore(await freshAuditUrl(kind, pg));
  await store.append(entries);
  return store;
}

const at = (id: string, t: number, reportedBy: AuditEntry['reportedBy'], event: AuditEntry['event']): AuditEntry => ({
  at: t,
  session: { id, code: '123******' },
  reportedBy,
  event,
});

describe.each(['sqlite', 'postgres'] as const)('auditSessions on %s', (db) => {
  beforeAll(() => {
    kind = db;
  });

  it('adds up control from each grant to its revoke, the viewer leaving or the end', async () => {
    const s = await storeWith([
      at('s1', min(0), 'server', { type: 'session.created', address: '10.0.0.5' }),
      at('s1', min(1), 'server', { type: 'join.attempt', name: 'typed', identity, address: '10.0.0.9', result: 'pending' }),
      at('s1', min(2), 'server', { type: 'view.decision', outcome: 'allowed' }),
      at('s1', min(3), 'host', { type: 'control', action: 'granted' }),
      at('s1', min(5), 'viewer', { type: 'control', action: 'revoked' }),
      at('s1', min(6), 'host', { type: 'control', action: 'granted' }),
      at('s1', min(7), 'server', { type: 'viewer.left', reason: 'viewer-left' }),
      at('s1', min(8), 'host', { type: 'control', action: 'granted' }),
      at('s1', min(10), 'server', { type: 'session.ended', reason: 'host-left', durationMs: 600_000 }),
    ]);
    const { sessions } = await auditSessions(s, {});
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      id: 's1',
      started: new Date(min(0)).toISOString(),
      ended: new Date(min(10)).toISOString(),
      durationMs: 600_000,
      controlMs: 5 * 60_000,
      technician: identity,
      typedName: null,
      hostAddress: '10.0.0.5',
      outcome: 'ended: host-left',
    });
  });

  it('names the technician the host let in, a typed name as typed, a decline, and a live session with its control so far', async () => {
    const s = await storeWith([
      at('a', min(0), 'server', { type: 'session.created', address: '10.0.0.5' }),
      at('a', min(1), 'server', { type: 'join.attempt', name: 'Mallory', address: '10.0.0.6', result: 'pending' }),
      at('a', min(2), 'server', { type: 'view.decision', outcome: 'declined' }),
      at('a', min(3), 'server', { type: 'join.attempt', name: 'typed', identity, address: '10.0.0.9', result: 'pending' }),
      at('a', min(4), 'server', { type: 'view.decision', outcome: 'allowed' }),
      at('b', min(20), 'server', { type: 'session.created', address: '10.0.0.7' }),
      at('b', min(21), 'server', { type: 'join.attempt', name: 'Just Typed', address: '10.0.0.8', result: 'pending' }),
      at('b', min(22), 'server', { type: 'view.decision', outcome: 'declined' }),
      at('b', min(23), 'server', { type: 'session.ended', reason: 'host-left', durationMs: 180_000 }),
      at('a', min(30), 'host', { type: 'control', action: 'granted' }),
    ]);
    const { sessions } = await auditSessions(s, {}, { now: min(32) });
    expect(await auditSessions(s, {}, { limit: 1 })).toMatchObject({ truncated: true, sessions: [{ id: 'b' }] });
    expect(sessions.map((x) => [x.id, x.technician?.email ?? null, x.typedName, x.outcome, x.durationMs, x.controlMs])).toEqual([
      ['b', null, 'Just Typed', 'declined, ended: host-left', 180_000, 0],
      ['a', identity.email, null, 'live', null, 2 * 60_000],
    ]);
  });

  it("keeps a technician's own sessions only, and the window's records", async () => {
    const other = { ...identity, email: 'ollie@example.com' };
    const s = await storeWith([
      at('mine', min(0), 'server', { type: 'help.picked', identity, address: '10.0.0.9' }),
      at('theirs', min(1), 'server', { type: 'join.attempt', name: 'x', identity: other, address: '10.0.0.9', result: 'pending' }),
      at('mine', min(60), 'server', { type: 'session.ended', reason: 'viewer-left', durationMs: 3_600_000 }),
    ]);
    const own = await auditSessions(s, { technicianEmail: identity.email });
    expect(own.sessions.map((x) => [x.id, x.technician?.email])).toEqual([['mine', identity.email]]);
    const window = await auditSessions(s, { from: new Date(min(30)) });
    expect(window.sessions.map((x) => [x.id, x.timeline.length, x.technician])).toEqual([['mine', 1, null]]);
  });
});
