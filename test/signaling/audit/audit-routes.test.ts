import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { auditSessionsResponseSchema, type AuditSessionsResponse } from '../../../protocol/audit-sessions';
import { TestClient } from '../../support/signaling-client';
import { freshAuditUrl } from './audit-db';
import { cookieFor, scriptedSession, sha256, start, OLLIE, TINA } from './audit-http';

/**
 * The audit trail over HTTP: three sessions run on a real server (two signed-in technicians and one typed name), the
 * server closes (which writes every record), and a second server on the same SQLite file answers the routes —
 * so what is asserted is what the database holds, with no waiting on the trail's writer.
 */
let reader: RunningSignalingServer;
let cookies: { admin: string; tina: string; ollie: string };

beforeAll(async () => {
  const auditDb = await freshAuditUrl('sqlite');
  const writer = await start({ auditDb });
  await scriptedSession(writer, await cookieFor(writer, TINA));
  await scriptedSession(writer, await cookieFor(writer, OLLIE));
  await scriptedSession(writer);
  await writer.close();
  reader = await start({ auditDb });
  cookies = {
    admin: await cookieFor(reader, 'boss@example.com', true),
    tina: await cookieFor(reader, TINA),
    ollie: await cookieFor(reader, OLLIE),
  };
}, 30_000);
afterAll(() => reader?.close());

const get = (path: string, cookie?: string) => fetch(`${reader.url}${path}`, cookie ? { headers: { cookie } } : {});

async function sessions(cookie: string, query = ''): Promise<AuditSessionsResponse> {
  const res = await get(`/api/audit/sessions${query}`, cookie);
  expect(res.status).toBe(200);
  return auditSessionsResponseSchema.parse(await res.json());
}

async function jsonl(cookie: string, query = '') {
  const res = await get(`/api/audit/export?format=jsonl${query}`, cookie);
  expect(res.status).toBe(200);
  const lines = (await res.text()).trim().split('\n');
  return lines.map((l) => JSON.parse(l) as { session: string; type: string; technician: string | null; hash: string });
}

describe('GET /api/audit/export', () => {
  it('gives an admin every record as CSV and as JSON lines, as an attachment never cached', async () => {
    const csv = await get('/api/audit/export?format=csv&from=2020-01-01T00:00:00Z&to=2100-01-01', cookies.admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="peerdesk-audit_2020-01-01T00-00-00Z_2100-01-01T00-00-00Z.csv"',
    );
    const rows = (await csv.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('seq,at,session,code,type,reported_by,technician,fields,prev_hash,hash');
    // Per session: created, join, allowed, 4 reports, ended.
    expect(rows).toHaveLength(1 + 3 * 8);
    expect(rows.filter((r) => r.includes(',file,'))[0]).toContain('"{""action"":""completed""');

    const records = await jsonl(cookies.admin);
    expect(records).toHaveLength(24);
    expect(new Set(records.map((r) => r.session)).size).toBe(3);
    expect(records.filter((r) => r.technician).map((r) => r.technician)).toEqual([TINA, OLLIE]);
  });

  it('lets an admin filter by technician', async () => {
    const records = await jsonl(cookies.admin, `&technician=${OLLIE}`);
    expect(records).toHaveLength(8);
    expect(records.find((r) => r.type === 'join.attempt')?.technician).toBe(OLLIE);
  });

  it('gives a technician only their own sessions, whatever technician= asks', async () => {
    const own = await jsonl(cookies.tina);
    expect(own).toHaveLength(8);
    expect(new Set(own.map((r) => r.session)).size).toBe(1);
    expect(own.find((r) => r.type === 'join.attempt')?.technician).toBe(TINA);
    const asked = await get(`/api/audit/export?format=jsonl&technician=${OLLIE}`, cookies.tina);
    expect(asked.headers.get('content-disposition')).toContain(`_${TINA}.jsonl"`);
    const text = await asked.text();
    expect(text).not.toContain(OLLIE);
    expect(text.trim().split('\n')).toHaveLength(8);
  });

  it('refuses a request without a valid sign-in (401) and a bad query with its reason (400)', async () => {
    const unsigned = await get('/api/audit/export?format=csv');
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: 'Sign in as a technician to read the audit trail.' });
    const tampered = cookies.admin.slice(0, -4) + (cookies.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await get('/api/audit/export?format=csv', tampered)).status).toBe(401);
    expect((await get('/api/audit/sessions')).status).toBe(401);

    const bad = async (query: string) => {
      const res = await get(`/api/audit/export?${query}`, cookies.admin);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await bad('format=csv&from=yesterday')).toMatch(/^from: must be an ISO-8601 date/);
    expect(await bad('format=csv&from=2026-12-08&to=2026-12-01')).toBe('from: from must be before to');
    expect(await bad('format=xml')).toBe('format: format must be csv or jsonl');
    expect(await bad('from=2026-12-01')).toBe('format: format must be csv or jsonl');
    expect(await bad('format=csv&technician=not-an-email')).toBe('technician: technician must be an email address');
    expect((await get('/api/audit/sessions?to=soon', cookies.tina)).status).toBe(400);
  });

  it('takes only GET and names no other route', async () => {
    const post = await fetch(`${reader.url}/api/audit/export?format=csv`, { method: 'POST', headers: { cookie: cookies.admin } });
    expect(post.status).toBe(405);
    expect((await get('/api/audit/records', cookies.admin)).status).toBe(404);
  });
});

describe('GET /api/audit/sessions', () => {
  it('lists one row per session for an admin, newest first, with who, duration, control time and files', async () => {
    const { sessions: all, scope, truncated } = await sessions(cookies.admin);
    expect({ scope, truncated, count: all.length }).toEqual({ scope: 'all', truncated: false, count: 3 });
    expect(all.map((s) => s.technician?.email ?? s.typedName)).toEqual(['Typed Name', OLLIE, TINA]);
    for (const s of all) {
      expect(s).toMatchObject({ outcome: 'ended: host-left', hostAddress: '127.0.0.1', code: expect.stringMatching(/^\d{3}\*{6}$/) });
      expect(s.ended! >= s.started).toBe(true);
      expect(s.controlMs).toBeLessThanOrEqual(s.durationMs!);
      expect(s.files).toEqual([{ name: 'fix "it".ps1', size: 99, sha256, direction: 'sent', reportedBy: 'viewer' }]);
      expect(s.timeline.map((t) => t.type)).toEqual([
        'session.created',
        'join.attempt',
        'view.decision',
        'control',
        'control',
        'file',
        'control',
        'session.ended',
      ]);
    }
    expect(all[2].technician).toEqual({ name: 'tina', email: TINA, org: 'Example IT', issuer: expect.any(String) });
    expect(all[0].technician).toBeNull();
    const ollie = await sessions(cookies.admin, `?technician=${OLLIE}`);
    expect(ollie.sessions.map((s) => s.technician?.email)).toEqual([OLLIE]);
  });

  it("shows a technician their own sessions only, even when they ask for a colleague's", async () => {
    const own = await sessions(cookies.ollie, `?technician=${TINA}&from=2020-01-01`);
    expect(own.scope).toBe('own');
    expect(own.sessions.map((s) => s.technician?.email)).toEqual([OLLIE]);
  });

  it('is empty for a window with no records', async () => {
    expect((await sessions(cookies.admin, '?from=2020-01-01&to=2020-01-02')).sessions).toEqual([]);
  });
});

it('answers 404 with a clear message when the audit trail is off', async () => {
  const server = await start();
  try {
    const res = await fetch(`${server.url}/api/audit/export?format=csv`, { headers: { cookie: await cookieFor(server, TINA, true) } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'The audit trail is off on this server (start it with --audit-db).' });
    expect((await fetch(`${server.url}/api/audit/sessions`)).status).toBe(404);
  } finally {
    await server.close();
  }
});

it("a request picked from the support queue is in the picking technician's sessions, with their verified name", async () => {
  const auditDb = await freshAuditUrl('sqlite');
  const writer = await start({ auditDb });
  const host = await TestClient.connect(writer.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  await host.next('host.opened');
  host.send({ type: 'help.request', name: 'Pat Person', description: 'VPN drops', os: 'Linux', app: 'PeerDesk desktop' });
  const { requestId } = await host.next('help.queued');
  const picker = await TestClient.connect(writer.wsUrl, { headers: { cookie: await cookieFor(writer, TINA) } });
  picker.send({ type: 'queue.pick', requestId });
  await picker.next('queue.picked');
  const request = await host.next('join.request');
  host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  await picker.next('join.accepted');
  host.send({ type: 'leave' });
  await picker.next('session.ended');
  [host, picker].forEach((c) => c.close());
  await writer.close();

  const server = await start({ auditDb });
  try {
    const own = await fetch(`${server.url}/api/audit/sessions`, { headers: { cookie: await cookieFor(server, TINA) } });
    const { sessions: list } = auditSessionsResponseSchema.parse(await own.json());
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      technician: { email: TINA, name: 'tina' },
      typedName: null,
      person: 'Pat Person',
      outcome: 'ended: host-left',
    });
    expect(list[0].timeline.map((t) => t.type)).toEqual([
      'session.created',
      'help.requested',
      'help.picked',
      'view.decision',
      'session.ended',
    ]);
  } finally {
    await server.close();
  }
});
