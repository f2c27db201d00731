import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../support/redis-server';
import { SignalingProcess } from '../support/signaling-process';
import { TestClient } from '../support/signaling-client';

/**
 * Two real server processes on one real Redis: a host on node A and a viewer on node B must behave exactly as on
 * one node, limits must count across both, and a node's death must cost only its own sockets.
 */
let redis: RedisServer;
let a: SignalingProcess;
let b: SignalingProcess;
const clients: TestClient[] = [];
const args = ['--host-opens-per-minute', '1000'];

beforeAll(async () => {
  redis = await RedisServer.start();
  [a, b] = await Promise.all([
    SignalingProcess.start(args, { REDIS_URL: redis.url }),
    SignalingProcess.start(args, { REDIS_URL: redis.url }),
  ]);
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await redis.stop();
});

async function connect(node: SignalingProcess, localAddress = '127.0.0.1') {
  const c = await TestClient.connect(node.wsUrl, { localAddress });
  clients.push(c);
  return c;
}
async function open(node: SignalingProcess) {
  const host = await connect(node);
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');
  const token = await host.next('resume.token');
  return { host, opened, token };
}
/** Host on `hostNode`, viewer on `viewerNode`, admitted. */
async function crossPaired(hostNode: SignalingProcess, viewerNode: SignalingProcess) {
  const { host, opened, token } = await open(hostNode);
  const viewer = await connect(viewerNode);
  viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Tech on B' });
  await viewer.next('join.pending');
  const request = await host.next('join.request');
  expect(request.name).toBe('Tech on B');
  host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  await viewer.next('join.accepted');
  const viewerToken = await viewer.next('resume.token');
  await host.next('peer.admitted');
  return { host, viewer, opened, hostToken: token, viewerToken };
}
const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
async function relaysBothWays(x: TestClient, y: TestClient) {
  x.send({ type: 'signal', data: offer });
  expect((await y.next('signal')).data).toEqual(offer);
  y.send({ type: 'signal', data: { ...offer, sdp: `${offer.sdp}back` } });
  expect((await x.next('signal')).data).toEqual({ ...offer, sdp: `${offer.sdp}back` });
}
const health = (node: SignalingProcess) => fetch(`${node.url}/healthz`).then((r) => r.status);

describe('two signaling nodes on Redis', () => {
  it('pair a host on A with a viewer on B, relay both ways, and tell the host when the viewer leaves', async () => {
    const { host, viewer } = await crossPaired(a, b);
    await relaysBothWays(host, viewer);
    viewer.send({ type: 'leave' });
    expect((await host.next('peer.left')).reason).toBe('viewer-left');
  });

  it('lock a code after 5 wrong PINs spread over both nodes', async () => {
    const { host, opened } = await open(a);
    for (let i = 0; i < 5; i++) {
      // A fresh address per guess: this is about the per-code count, not the per-address backoff.
      const guesser = await connect(i % 2 ? a : b, `127.0.0.${20 + i}`);
      guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin === '000000' ? '000001' : '000000', name: 'Guess' });
      expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
      expect((await host.next('join.failed')).attempts).toBe(i + 1);
    }
    expect((await host.next('session.ended')).reason).toBe('locked');
    const late = await connect(b, '127.0.0.40');
    late.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Too late' });
    expect((await late.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
  });

  it('count the per-address backoff on both nodes', async () => {
    const address = '127.0.0.50';
    for (let i = 0; i < 3; i++) {
      const c = await connect(i % 2 ? a : b, address);
      c.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '000000', name: 'Guess' });
      expect((await c.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    }
    for (const node of [a, b]) {
      const c = await connect(node, address);
      c.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '000000', name: 'Guess' });
      const refused = await c.next('error');
      expect(refused.code).toBe('SIG_ERR_JOIN_BACKOFF');
      expect(refused.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it('let a resume on B re-attach a side whose socket was on A', async () => {
    const { host, viewer, viewerToken } = await crossPaired(a, a);
    viewer.close();
    await host.next('peer.away');
    const moved = await connect(b);
    moved.send({ type: 'session.resume', v: 1, code: viewerToken.code, token: viewerToken.token, fresh: false });
    expect((await moved.next('session.resumed')).role).toBe('viewer');
    expect((await host.next('peer.back')).renew).toBe(false);
    await relaysBothWays(host, moved);
  });
});

describe('faults', () => {
  it('a node killed mid-session drops only its own sockets; its host resumes on the other node', async () => {
    const doomed = await SignalingProcess.start(args, { REDIS_URL: redis.url });
    try {
      const { host, viewer, hostToken } = await crossPaired(doomed, b);
      const bystanders = await crossPaired(b, b);
      await doomed.kill();
      await host.closed;
      const resumed = await connect(b);
      resumed.send({ type: 'session.resume', v: 1, code: hostToken.code, token: hostToken.token, fresh: false });
      expect(await resumed.next('session.resumed')).toMatchObject({ role: 'host', peerPresent: true });
      expect((await viewer.next('peer.back')).renew).toBe(false);
      await relaysBothWays(resumed, viewer);
      // A session that lived on B alone never noticed.
      await relaysBothWays(bystanders.host, bystanders.viewer);
      expect(bystanders.viewer.received.filter((m) => m.type === 'peer.away')).toEqual([]);
    } finally {
      await doomed.kill();
    }
  });

  it('a node that dies without a goodbye is noticed by the others: its sides go away, and the session ends after the grace period', async () => {
    // Its own Redis and nodes, with a short grace period and a node taken for dead after 2 s of silence instead of
    // 10 (nodes then report every 0.6 s): the same hand-over, without waiting out the default.
    const own = await RedisServer.start();
    const quick = [...args, '--node-dead-after', '2'];
    const doomed = await SignalingProcess.start(quick, { REDIS_URL: own.url });
    const survivor = await SignalingProcess.start([...quick, '--resume-grace', '2'], { REDIS_URL: own.url });
    try {
      const { viewer } = await crossPaired(doomed, survivor);
      const killedAt = Date.now();
      await doomed.kill();
      expect((await viewer.next('peer.away', 20_000)).graceMs).toBe(2000);
      // Not before the silence ran out: the node's death was noticed, not guessed.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1_000);
      expect((await viewer.next('session.ended', 10_000)).reason).toBe('host-disconnected');
    } finally {
      await doomed.kill();
      await survivor.close();
      await own.stop();
    }
  }, 40_000);

  it('while Redis is gone the nodes report unhealthy and refuse with a coded error; they recover when it is back', async () => {
    expect(await health(a)).toBe(200);
    await redis.kill();
    await expect.poll(() => health(a), { timeout: 5000 }).toBe(503);
    expect(await health(b)).toBe(503);
    const refused = await connect(a);
    refused.send({ type: 'host.open', v: 1 });
    expect((await refused.next('error')).code).toBe('SIG_ERR_UNAVAILABLE');
    await redis.restart();
    await expect.poll(() => health(a), { timeout: 10_000 }).toBe(200);
    await expect.poll(() => health(b), { timeout: 10_000 }).toBe(200);
    const { host, viewer } = await crossPaired(a, b);
    await relaysBothWays(host, viewer);
  });
});
