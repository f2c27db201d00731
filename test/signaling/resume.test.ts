import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

const silent = pino({ level: 'silent' });
let server: RunningSignalingServer;
const clients: TestClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
});

async function start(resumeGraceMs = 60_000) {
  server = await startSignalingServer({ port: 0, logger: silent, resumeGraceMs, sweepIntervalMs: 50, hostOpensPerMinute: 1000 });
}
async function connect() {
  const c = await TestClient.connect(server.wsUrl);
  clients.push(c);
  return c;
}
/** A host with an open session and its resume token. */
async function open() {
  const host = await connect();
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');
  const token = await host.next('resume.token');
  return { host, opened, token };
}
/** A paired session with each side's resume token. */
async function paired() {
  const s = await pairedSession(server.wsUrl);
  clients.push(s.host, s.viewer);
  const hostToken = await s.host.next('resume.token');
  const viewerToken = await s.viewer.next('resume.token');
  return { ...s, hostToken, viewerToken };
}
const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

describe('resume tokens', () => {
  it('are handed to the host at open and to the viewer only once admitted, bound to the session', async () => {
    await start();
    const { opened, token } = await open();
    expect(token.code).toBe(opened.code);
    expect(token.graceMs).toBe(60_000);
    const viewer = await connect();
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Pending Pat' });
    await viewer.next('join.pending');
    expect(await viewer.nothing('resume.token')).toBe(true);
  });

  it('a host whose signaling dropped resumes with its token: the viewer hears away, then back, and signals flow again', async () => {
    await start();
    const { host, viewer, hostToken } = await paired();
    host.close();
    expect((await viewer.next('peer.away')).graceMs).toBe(60_000);
    const again = await connect();
    again.send({ type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false });
    const rotated = await again.next('resume.token');
    expect(rotated.token).not.toBe(hostToken.token);
    const resumed = await again.next('session.resumed');
    expect(resumed).toMatchObject({ role: 'host', peerPresent: true, peerName: 'Tech Tina' });
    expect((await viewer.next('peer.back')).renew).toBe(false);
    again.send({ type: 'signal', data: offer });
    expect((await viewer.next('signal')).data).toEqual(offer);
    viewer.send({ type: 'signal', data: offer });
    expect((await again.next('signal')).data).toEqual(offer);
  });

  it('refuses a malformed resume with a coded error and keeps the session resumable', async () => {
    await start();
    const { host, viewer, hostToken } = await paired();
    host.close();
    await viewer.next('peer.away');
    const probe = await connect();
    for (const bad of [
      { type: 'session.resume', v: 1, code: hostToken.code, token: 'short', fresh: false },
      { type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false, role: 'host' },
      { type: 'session.resume', v: 1, code: hostToken.code, token: `${hostToken.token}${'A'.repeat(70_000)}`, fresh: false },
    ]) {
      probe.send(bad);
      expect(['SIG_ERR_BAD_MESSAGE', 'SIG_ERR_TOO_LARGE']).toContain((await probe.next('error')).code);
    }
    probe.send({ type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false });
    expect((await probe.next('session.resumed')).role).toBe('host');
  });

  it('is single-use: the token a resume consumed is refused afterwards', async () => {
    await start();
    const { host, hostToken } = await paired();
    host.close();
    const first = await connect();
    first.send({ type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false });
    await first.next('session.resumed');
    const replay = await connect();
    replay.send({ type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false });
    expect((await replay.next('error')).code).toBe('SIG_ERR_RESUME_FAILED');
  });

  it('is single-use for the viewer too: its consumed token is refused, the rotated one works', async () => {
    await start();
    const { viewer, viewerToken } = await paired();
    viewer.close();
    const first = await connect();
    first.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: false });
    const rotated = await first.next('resume.token');
    await first.next('session.resumed');
    const replay = await connect();
    replay.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: false });
    expect((await replay.next('error')).code).toBe('SIG_ERR_RESUME_FAILED');
    const next = await connect();
    next.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: rotated.token, fresh: false });
    expect(await next.next('session.resumed')).toMatchObject({ role: 'viewer' });
  });

  it('a reloaded viewer page resumes fresh, without a PIN: the host is asked to start a new peer connection', async () => {
    await start();
    const { host, viewer, viewerToken } = await paired();
    viewer.close();
    await host.next('peer.away');
    const reloaded = await connect();
    reloaded.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: true });
    await reloaded.next('resume.token');
    expect(await reloaded.next('session.resumed')).toMatchObject({ role: 'viewer', peerPresent: true });
    const back = await host.next('peer.back');
    expect(back.renew).toBe(true);
    expect(back.iceServers).toBeDefined();
    host.send({ type: 'signal', data: offer });
    expect((await reloaded.next('signal')).data).toEqual(offer);
  });

  it('after the grace period the seat is gone: the host hears peer.left and the code needs a (new) PIN again', async () => {
    await start(200);
    const { host, viewer, viewerToken } = await paired();
    const { pin } = await host.next('session.pin');
    viewer.close();
    await host.next('peer.away');
    expect((await host.next('peer.left', 3000)).reason).toBe('viewer-disconnected');
    const late = await connect();
    late.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: true });
    expect((await late.next('error')).code).toBe('SIG_ERR_RESUME_FAILED');
    const rejoin = await connect();
    rejoin.send({ type: 'viewer.join', v: 1, code: viewerToken.code, pin, name: 'Tech Tina' });
    expect((await host.next('join.request')).name).toBe('Tech Tina');
  });

  it('a token of one session does not resume another, and a viewer token never resumes as host', async () => {
    await start();
    const a = await paired();
    const b = await paired();
    const wrong = await connect();
    wrong.send({ type: 'session.resume', v: 1, code: b.hostToken.code, token: a.hostToken.token, fresh: false });
    expect((await wrong.next('error')).code).toBe('SIG_ERR_RESUME_FAILED');
    a.viewer.close();
    await a.host.next('peer.away');
    const asViewer = await connect();
    asViewer.send({ type: 'session.resume', v: 1, code: a.viewerToken.code, token: a.viewerToken.token, fresh: false });
    expect((await asViewer.next('session.resumed')).role).toBe('viewer');
  });

  it('a resume takes over from a half-open older socket of the same side, which is closed', async () => {
    await start();
    const { viewer, viewerToken } = await paired();
    const again = await connect();
    again.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: false });
    await again.next('session.resumed');
    expect((await viewer.closed).code).toBe(4000);
  });

  it('signals sent while the other side is away are dropped without counting as abuse', async () => {
    await start();
    const { host, viewer } = await paired();
    viewer.close();
    await host.next('peer.away');
    for (let i = 0; i < 30; i++) host.send({ type: 'signal', data: offer });
    expect(await host.nothing('error')).toBe(true);
    expect(host.ws.readyState).toBe(host.ws.OPEN);
  });

  it('a consent prompt the host missed while away is asked again when it resumes', async () => {
    await start();
    const { host, opened, token } = await open();
    host.close();
    const viewer = await connect();
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Waiting Wes' });
    await viewer.next('join.pending');
    const again = await connect();
    again.send({ type: 'session.resume', v: 1, code: token.code, token: token.token, fresh: false });
    expect(await again.next('session.resumed')).toMatchObject({ role: 'host', peerPresent: false });
    expect((await again.next('join.request')).name).toBe('Waiting Wes');
  });
});
