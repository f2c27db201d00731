import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer, type StartOptions } from '../../../signaling/server';
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

const start = (auditDb?: string, options: StartOptions = {}) =>
  startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    hostOpensPerMinute: 10_000,
    maxRejectedMessages: 100,
    auditDb,
    ...options,
  });

const offer = { type: 'offer', sdp: 'v=0\r\n' };
const sha256 = 'a'.repeat(64);

/**
 * One scripted session, every step a real frame. A report is followed by a relayed signal the other side waits for,
 * so what each side reports reaches the trail in the order the script says.
 */
async function scriptedSession(server: RunningSignalingServer) {
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(server.wsUrl);
    clients.push(c);
    return c;
  };
  const host = await connect();
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');

  const guesser = await connect();
  guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin === '000000' ? '111111' : '000000', name: 'Mallory' });
  expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
  await host.next('join.failed');

  const viewer = await connect();
  viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Tech Tina' });
  const request = await host.next('join.request');
  host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  await viewer.next('join.accepted');
  const token = (await viewer.next('resume.token')).token;
  const { pin } = await host.next('session.pin');

  const late = await connect();
  late.send({ type: 'viewer.join', v: 1, code: opened.code, pin, name: 'Late Larry' });
  expect((await late.next('error')).code).toBe('SIG_ERR_SESSION_BUSY');

  const report = async (from: TestClient, to: TestClient, event: object) => {
    from.send({ type: 'audit.report', event });
    from.send({ type: 'signal', data: offer });
    await to.next('signal');
  };
  await report(viewer, host, { type: 'control', action: 'requested' });
  await report(host, viewer, { type: 'control', action: 'granted' });
  await report(viewer, host, { type: 'file', action: 'completed', direction: 'sent', name: 'report.pdf', size: 1234, sha256 });
  await report(host, viewer, { type: 'clipboard.sent', size: 42 });
  await report(host, viewer, { type: 'source.switched', kind: 'window', label: 'Invoice.xlsx' });

  viewer.close();
  await host.next('peer.away');
  const back = await connect();
  back.send({ type: 'session.resume', v: 1, code: opened.code, token, fresh: false });
  await back.next('session.resumed');
  await host.next('peer.back');
  host.send({ type: 'leave' });
  await back.next('session.ended');
  clients.forEach((c) => c.close());
  return { code: opened.code, pins: [opened.pin, pin] };
}

/** What an auditor reads, minus what differs between runs (ids, times, hashes, the duration). */
async function recordsOf(url: string) {
  const store = openStore(url);
  const records = await allRecords(store);
  expect(await verifyChain(store)).toMatchObject({ ok: true, records: records.length });
  await store.close();
  const sessions = new Set(records.map((r) => r.session));
  const comparable = records.map((r) => {
    const fields = JSON.parse(r.fields) as Record<string, unknown>;
    if ('durationMs' in fields) fields.durationMs = typeof fields.durationMs;
    return { type: r.type, reportedBy: r.reportedBy, code: r.code, fields };
  });
  return { records, comparable, sessions };
}

describe('the records of one session', () => {
  it('are the same on SQLite and PostgreSQL, hold no code or PIN whole, and verify', async () => {
    const results = [];
    for (const kind of ['sqlite', 'postgres'] as const) {
      const url = await freshAuditUrl(kind, pg);
      const server = await start(url);
      const secrets = await scriptedSession(server);
      await server.close(); // flushes the trail
      const { records, comparable, sessions } = await recordsOf(url);
      expect(sessions.size).toBe(1);
      // Hashes and session ids are random hex/base64: only what was recorded is searched.
      const stored = JSON.stringify(records.map(({ hash: _h, prevHash: _p, session: _s, ...r }) => r));
      for (const secret of [secrets.code, ...secrets.pins]) expect(stored).not.toContain(secret);
      results.push(comparable.map((r) => ({ ...r, code: r.code?.replace(/^\d{3}/, 'NNN') })));
    }
    expect(results[0]).toEqual(results[1]);
    const at = '127.0.0.1';
    expect(results[0]).toEqual([
      { type: 'session.created', reportedBy: 'server', code: 'NNN******', fields: { address: at } },
      { type: 'join.attempt', reportedBy: 'server', code: 'NNN******', fields: { name: 'Mallory', address: at, result: 'wrong-pin' } },
      { type: 'join.attempt', reportedBy: 'server', code: 'NNN******', fields: { name: 'Tech Tina', address: at, result: 'pending' } },
      { type: 'view.decision', reportedBy: 'server', code: 'NNN******', fields: { outcome: 'allowed' } },
      { type: 'join.attempt', reportedBy: 'server', code: 'NNN******', fields: { name: 'Late Larry', address: at, result: 'busy' } },
      { type: 'control', reportedBy: 'viewer', code: 'NNN******', fields: { action: 'requested' } },
      { type: 'control', reportedBy: 'host', code: 'NNN******', fields: { action: 'granted' } },
      {
        type: 'file',
        reportedBy: 'viewer',
        code: 'NNN******',
        fields: { action: 'completed', direction: 'sent', name: 'report.pdf', size: 1234, sha256 },
      },
      { type: 'clipboard.sent', reportedBy: 'host', code: 'NNN******', fields: { size: 42 } },
      { type: 'source.switched', reportedBy: 'host', code: 'NNN******', fields: { kind: 'window', label: 'Invoice.xlsx' } },
      { type: 'session.resumed', reportedBy: 'server', code: 'NNN******', fields: { role: 'viewer' } },
      { type: 'session.ended', reportedBy: 'server', code: 'NNN******', fields: { reason: 'host-left', durationMs: 'number' } },
    ]);
  });

  it('records declines, capture failures, a viewer that stopped waiting, wrong PINs, the lockout and the backoff', async () => {
    const url = await freshAuditUrl('sqlite');
    const server = await start(url, { joinFailuresBeforeBackoff: 6 });
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    let pin = opened.pin;
    const ask = async () => {
      const viewer = await TestClient.connect(server.wsUrl);
      viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin, name: 'Tina' });
      return { viewer, request: await host.next('join.request') };
    };
    for (const answer of [{ allow: false }, { allow: false, reason: 'capture-failed' }]) {
      const { viewer, request } = await ask();
      host.send({ type: 'host.decide', requestId: request.requestId, ...answer });
      await viewer.next('join.denied');
      pin = (await host.next('session.pin')).pin;
      viewer.close();
    }
    const { viewer: impatient } = await ask();
    impatient.close();
    await host.next('peer.left');
    const guesser = await TestClient.connect(server.wsUrl);
    const wrong = pin === '000000' ? '111111' : '000000';
    for (let i = 0; i < 6; i++) {
      guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: wrong, name: 'Mallory' });
      await guesser.next('error');
    }
    guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: wrong, name: 'Mallory' });
    expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_BACKOFF');
    expect((await host.next('session.ended')).reason).toBe('locked');
    host.close();
    guesser.close();
    await server.close();
    const { comparable } = await recordsOf(url);
    const summary = comparable.map((r) => `${r.type} ${String(r.fields.result ?? r.fields.outcome ?? r.fields.reason ?? '')}`.trim());
    expect(summary).toEqual([
      'session.created',
      'join.attempt pending',
      'view.decision declined',
      'join.attempt pending',
      'view.decision capture-failed',
      'join.attempt pending',
      'view.decision timed-out',
      ...Array(4).fill('join.attempt wrong-pin'),
      'join.attempt lockout',
      'session.ended locked',
      'join.attempt no-session',
      'join.attempt backoff',
    ]);
  });
});

describe('audit.report', () => {
  it('is refused with a reason when its fields are wrong, carry chat text, or come from no side of a session', async () => {
    const server = await start(await freshAuditUrl('sqlite'));
    const { host, viewer } = await pairedSession(server.wsUrl);
    const refusal = async (from: TestClient, event: unknown) => {
      from.send({ type: 'audit.report', event });
      return from.next('error');
    };
    expect(await refusal(host, { type: 'file', action: 'completed', direction: 'sent', name: 'a', size: -1 })).toMatchObject({
      code: 'SIG_ERR_BAD_MESSAGE',
      message: expect.stringMatching(/audit\.report: event\.size/),
    });
    expect(
      await refusal(viewer, { type: 'file', action: 'completed', direction: 'sent', name: 'a', size: 1, sha256: 'xyz' }),
    ).toMatchObject({
      code: 'SIG_ERR_BAD_MESSAGE',
      message: expect.stringMatching(/sha256/),
    });
    expect((await refusal(host, { type: 'chat', text: 'my password is hunter2' })).code).toBe('SIG_ERR_BAD_MESSAGE');
    expect((await refusal(host, { type: 'clipboard.sent', size: 3, text: 'abc' })).code).toBe('SIG_ERR_BAD_MESSAGE');
    const stranger = await TestClient.connect(server.wsUrl);
    expect(await refusal(stranger, { type: 'control', action: 'granted' })).toMatchObject({ code: 'SIG_ERR_BAD_STATE' });
    host.send({ type: 'leave' });
    await viewer.next('session.ended');
    for (const c of [host, viewer, stranger]) c.close();
    await server.close();
  });

  it('from a viewer still waiting for consent is refused', async () => {
    const server = await start(await freshAuditUrl('sqlite'));
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await TestClient.connect(server.wsUrl);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Tina' });
    await viewer.next('join.pending');
    viewer.send({ type: 'audit.report', event: { type: 'control', action: 'granted' } });
    expect((await viewer.next('error')).code).toBe('SIG_ERR_BAD_STATE');
    host.close();
    viewer.close();
    await server.close();
  });

  it('is accepted and ignored when the trail is off', async () => {
    const server = await start();
    const { host, viewer } = await pairedSession(server.wsUrl);
    host.send({ type: 'audit.report', event: { type: 'clipboard.sent', size: 1 } });
    host.send({ type: 'signal', data: offer });
    await viewer.next('signal');
    expect(await host.nothing('error', 200)).toBe(true);
    host.close();
    viewer.close();
    await server.close();
  });
});
