import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { WebSocket } from 'ws';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

let server: RunningSignalingServer | undefined;
const silent = pino({ level: 'silent' });
afterEach(async () => server?.close());

describe('connection limits', () => {
  it('rate-limits a flooding connection with SIG_ERR_RATE_LIMITED', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, messagesPerSecond: 5, messageBurst: 5, maxRejectedMessages: 100 });
    const { host, viewer } = await pairedSession(server.wsUrl);
    for (let i = 0; i < 20; i++) host.send({ type: 'signal', data: { type: 'offer', sdp: `v=${i}` } });
    const limited = await host.next('error');
    expect(limited.code).toBe('SIG_ERR_RATE_LIMITED');
    expect(limited.retryAfterMs).toBeGreaterThan(0); // 5 per second: the next token is at most 200 ms away
    expect(limited.retryAfterMs).toBeLessThanOrEqual(200);
    let relayed = 0;
    while (!(await viewer.nothing('signal', 200))) relayed++;
    expect(relayed).toBeLessThan(20);
    host.close();
    viewer.close();
  });

  it('caps WebSocket connections per client address', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, maxConnectionsPerAddress: 3 });
    const ok = await Promise.all([1, 2, 3].map(() => TestClient.connect(server!.wsUrl)));
    await expect(TestClient.connect(server.wsUrl)).rejects.toThrow(/429/);
    ok[0].close();
    await ok[0].closed;
    // The slot is freed once the server has seen the close.
    await expect.poll(async () => (await fetch(`${server!.url}/healthz`).then((r) => r.json())).connections).toBe(2);
    const again = await TestClient.connect(server.wsUrl);
    again.close();
    ok.slice(1).forEach((c) => c.close());
  });

  it('closes a connection that never opens or joins a session', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, unboundIdleTimeoutMs: 200, heartbeatIntervalMs: 100 });
    const idle = await TestClient.connect(server.wsUrl);
    const bound = await TestClient.connect(server.wsUrl);
    bound.send({ type: 'host.open', v: 1 });
    await bound.next('host.opened');
    expect((await idle.closed).reason).toBe('idle');
    expect(bound.ws.readyState).toBe(WebSocket.OPEN);
    bound.close();
  });

  it('closes a connection that is left without a session later, counting from then', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, unboundIdleTimeoutMs: 400, heartbeatIntervalMs: 100 });
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await TestClient.connect(server.wsUrl);
    // Past the viewer's first idle check, so the check that closes it is one scheduled from the denial.
    await viewer.pings(3);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'V' });
    const request = await host.next('join.request');
    await viewer.pings(2);
    host.send({ type: 'host.decide', requestId: request.requestId, allow: false });
    await viewer.next('join.denied');
    const deniedAt = Date.now();
    expect((await viewer.closed).reason).toBe('idle');
    expect(Date.now() - deniedAt).toBeGreaterThanOrEqual(350);
    expect(host.ws.readyState).toBe(WebSocket.OPEN);
    host.close();
  });

  it('keeps answering peers connected through many heartbeat rounds', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, heartbeatIntervalMs: 40 });
    const { host, viewer } = await pairedSession(server.wsUrl);
    await Promise.all([host.pings(12), viewer.pings(12)]);
    host.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
    expect((await viewer.next('signal')).data).toEqual({ type: 'offer', sdp: 'v=0' });
    expect(await host.nothing('peer.left', 50)).toBe(true);
    host.close();
    viewer.close();
  });

  it('drops a peer that stops answering pings; the other side learns it is away, then that it is gone', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, heartbeatIntervalMs: 150, resumeGraceMs: 300, sweepIntervalMs: 50 });
    const host = await TestClient.connect(server.wsUrl, { autoPong: false });
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await TestClient.connect(server.wsUrl);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'V' });
    const req = await host.next('join.request');
    host.send({ type: 'host.decide', requestId: req.requestId, allow: true });
    await viewer.next('join.accepted');
    expect((await viewer.next('peer.away', 3000)).graceMs).toBe(300);
    expect((await viewer.next('session.ended', 3000)).reason).toBe('host-disconnected');
    viewer.close();
  });
});

describe('session lifetime', () => {
  it('expires an unused code after the TTL and tells the host', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, sessionTtlMs: 300, sweepIntervalMs: 50 });
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect((await host.next('session.ended', 3000)).reason).toBe('expired');
    const late = await TestClient.connect(server.wsUrl);
    late.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Late' });
    expect((await late.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    host.close();
    late.close();
  });

  it('does not expire a session while a viewer is connected', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, sessionTtlMs: 200, sweepIntervalMs: 50 });
    const { host, viewer } = await pairedSession(server.wsUrl);
    expect(await host.nothing('session.ended', 600)).toBe(true);
    host.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
    await viewer.next('signal');
    host.close();
    viewer.close();
  });

  it('tells every peer on shutdown', async () => {
    server = await startSignalingServer({ port: 0, logger: silent });
    const { host, viewer } = await pairedSession(server.wsUrl);
    await server.close();
    expect((await host.next('session.ended')).reason).toBe('server-shutdown');
    expect((await viewer.next('session.ended')).reason).toBe('server-shutdown');
    expect((await viewer.closed).code).toBe(1001);
    server = undefined;
  });
});
