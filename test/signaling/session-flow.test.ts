import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

let server: RunningSignalingServer;
const clients: TestClient[] = [];
const track = <T extends { host?: TestClient; viewer?: TestClient }>(x: T) => {
  if (x.host) clients.push(x.host);
  if (x.viewer) clients.push(x.viewer);
  return x;
};
const connect = async () => {
  const c = await TestClient.connect(server.wsUrl);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    stunUrls: ['stun:127.0.0.1:3478'],
    hostOpensPerMinute: 10_000,
  }); // every session here opens from 127.0.0.1
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

describe('opening a session', () => {
  it('gives the host a 9-digit code, a 6-digit PIN and an invite link that carries both', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect(opened.code).toMatch(/^\d{9}$/);
    expect(opened.pin).toMatch(/^\d{6}$/);
    expect(opened.inviteUrl).toBe(`${server.url}/#join?code=${opened.code}&pin=${opened.pin}&v=1`);
    expect(opened.expiresAt).toBeGreaterThan(Date.now() + 9 * 60_000);
  });

  it('hands out distinct codes', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const host = await connect();
      host.send({ type: 'host.open', v: 1 });
      codes.add((await host.next('host.opened')).code);
      host.close();
    }
    expect(codes.size).toBe(20);
  });

  it('refuses a second open on the same connection', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    await host.next('host.opened');
    host.send({ type: 'host.open', v: 1 });
    expect((await host.next('error')).code).toBe('SIG_ERR_BAD_STATE');
  });
});

describe('joining', () => {
  it('admits a viewer only after the host allows, then relays signals both ways with ICE servers', async () => {
    const { host, viewer, request, accepted, admitted } = track(await pairedSession(server.wsUrl, 'Tech Tina'));
    expect(request.name).toBe('Tech Tina');
    expect(admitted.name).toBe('Tech Tina');
    expect(accepted.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);

    host.send({ type: 'signal', data: offer });
    expect((await viewer.next('signal')).data).toEqual(offer);
    const candidate = {
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMLineIndex: 0, sdpMid: '0' },
    };
    viewer.send({ type: 'signal', data: candidate });
    expect((await host.next('signal')).data).toEqual(candidate);
  });

  it('does not relay before the host decides', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await connect();
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Eve' });
    await host.next('join.request');
    viewer.send({ type: 'signal', data: offer });
    expect((await viewer.next('error')).code).toBe('SIG_ERR_NOT_PAIRED');
    expect(await host.nothing('signal')).toBe(true);
  });

  it('tells the viewer when the host denies, and relays nothing', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await connect();
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Mallory' });
    const request = await host.next('join.request');
    host.send({ type: 'host.decide', requestId: request.requestId, allow: false });
    await viewer.next('join.denied');
    viewer.send({ type: 'signal', data: offer });
    expect((await viewer.next('error')).code).toBe('SIG_ERR_NOT_PAIRED');
    host.send({ type: 'signal', data: offer });
    expect((await host.next('error')).code).toBe('SIG_ERR_NOT_PAIRED');
  });

  it('refuses a decision for a request id that is not pending', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    await host.next('host.opened');
    host.send({ type: 'host.decide', requestId: 'AAAAAAAAAAAAAAAA', allow: true });
    expect((await host.next('error')).code).toBe('SIG_ERR_BAD_STATE');
  });

  it('keeps a third connection out: it can neither read nor inject the pair’s signals', async () => {
    const { host, viewer, opened } = track(await pairedSession(server.wsUrl));
    const intruder = await connect();
    intruder.send({ type: 'signal', data: offer });
    expect((await intruder.next('error')).code).toBe('SIG_ERR_NOT_PAIRED');
    // A viewer trying the old PIN again is refused (PINs are one-time) and the pair is untouched.
    intruder.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Intruder' });
    expect((await intruder.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    host.send({ type: 'signal', data: offer });
    await viewer.next('signal');
    expect(await intruder.nothing('signal')).toBe(true);
    expect(await host.nothing('join.request')).toBe(true);
  });

  it('rotates the PIN after a viewer is admitted, and the new PIN is busy while paired', async () => {
    const { host, opened } = track(await pairedSession(server.wsUrl));
    const fresh = await host.next('session.pin');
    expect(fresh.pin).not.toBe(opened.pin);
    const other = await connect();
    other.send({ type: 'viewer.join', v: 1, code: opened.code, pin: fresh.pin, name: 'Second' });
    expect((await other.next('error')).code).toBe('SIG_ERR_SESSION_BUSY');
  });
});

describe('leaving', () => {
  it('tells the host when the viewer leaves, and the session takes a new viewer', async () => {
    const { host, viewer, opened } = track(await pairedSession(server.wsUrl));
    const { pin } = await host.next('session.pin');
    viewer.send({ type: 'leave' });
    expect((await host.next('peer.left')).reason).toBe('viewer-left');
    const next = await connect();
    next.send({ type: 'viewer.join', v: 1, code: opened.code, pin, name: 'Next' });
    await next.next('join.pending');
    expect((await host.next('join.request')).name).toBe('Next');
  });

  it('ends the session for the viewer when the host disconnects and does not resume in time, and the code is gone', async () => {
    const short = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), resumeGraceMs: 200, sweepIntervalMs: 50 });
    const { host, viewer, opened } = track(await pairedSession(short.wsUrl));
    const { pin } = await host.next('session.pin');
    host.close();
    expect((await viewer.next('peer.away')).graceMs).toBe(200);
    expect((await viewer.next('session.ended')).reason).toBe('host-disconnected');
    const late = await TestClient.connect(short.wsUrl);
    clients.push(late);
    late.send({ type: 'viewer.join', v: 1, code: opened.code, pin, name: 'Late' });
    expect((await late.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    await short.close();
  });

  it('tells the host when a pending viewer disconnects', async () => {
    const host = await connect();
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await connect();
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Gone' });
    await host.next('join.request');
    viewer.close();
    expect((await host.next('peer.left')).reason).toBe('viewer-disconnected');
  });

  it('a host leave with reason ends the viewer side with host-left', async () => {
    const { host, viewer } = track(await pairedSession(server.wsUrl));
    host.send({ type: 'leave' });
    expect((await viewer.next('session.ended')).reason).toBe('host-left');
  });
});
