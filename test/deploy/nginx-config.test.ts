import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBatch } from '../../signaling/redis/node-frames';
import { RedisServer } from '../support/redis-server';
import { TestClient } from '../support/signaling-client';
import { SignalingProcess } from '../support/signaling-process';
import { stopProcess } from '../support/stop-process';

/**
 * Debian's nginx started with exactly deploy/nginx/peerdesk.conf (only the certificate paths point at a test
 * certificate), in front of two real signaling nodes on the ports it names, sharing a real Redis. The test's
 * network namespace is its own, so ports 80 and 443 are free.
 */
const PUBLIC = 'https://help.example.com';
const TOKEN = 'scrape-token-for-the-test';
let dir: string;
let nginx: ChildProcess;
let redis: RedisServer;
const nodes: SignalingProcess[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  if (process.env.PEERDESK_IN_NETNS !== '1')
    throw new Error('run through npm test: nginx binds ports 80 and 443 of its own network namespace');
  dir = mkdtempSync(join(tmpdir(), 'peerdesk-deploy-nginx-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=help.example.com',
      '-addext',
      'subjectAltName=DNS:help.example.com,IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const shipped = readFileSync('deploy/nginx/peerdesk.conf', 'utf8');
  writeFileSync(
    join(dir, 'peerdesk.conf'),
    shipped
      .replace('/etc/letsencrypt/live/help.example.com/fullchain.pem', join(dir, 'cert.pem'))
      .replace('/etc/letsencrypt/live/help.example.com/privkey.pem', join(dir, 'key.pem')),
  );
  // The distribution's main nginx.conf, reduced to what a test directory needs; the site file is included as shipped.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
worker_processes 1;
events { worker_connections 1024; }
http { access_log off; ${temp} include ${join(dir, 'peerdesk.conf')}; }
`,
  );
  redis = await RedisServer.start();
  const env = { REDIS_URL: redis.url };
  const flags = ['--public-url', PUBLIC, '--trusted-proxies', '127.0.0.1', '--host-opens-per-minute', '1000', '--metrics-token', TOKEN];
  nodes.push(await SignalingProcess.start(flags, env, 8787), await SignalingProcess.start(flags, env, 8788));
  execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
  nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
    stdio: 'ignore',
  });
  // nginx says nothing when it is ready: poll its port (no event to await from another process).
  for (const deadline = Date.now() + 10_000; (await healthz().catch(() => 0)) !== 200;) {
    if (Date.now() > deadline) throw new Error(`nginx did not come up: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  if (nginx) await stopProcess(nginx);
  await Promise.all(nodes.map((n) => n.close()));
  await redis?.stop();
});

const ca = () => readFileSync(join(dir, 'cert.pem'));
async function healthz(): Promise<number> {
  const res = await fetchTls('/healthz');
  return res.status;
}
/** HTTPS to nginx on 127.0.0.1:443 as help.example.com, trusting only the test certificate. */
function fetchTls(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = import('node:https').then(({ request: tls }) =>
      tls({ host: '127.0.0.1', port: 443, path, ca: ca(), headers: { Host: 'help.example.com', ...headers } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
        .on('error', reject)
        .end(),
    );
    req.catch(reject);
  });
}
async function connect(localAddress = '127.0.0.1', query = '') {
  const c = await TestClient.connect(`wss://127.0.0.1/ws${query}`, {
    ca: ca(),
    headers: { Origin: PUBLIC, Host: 'help.example.com' },
    localAddress,
  });
  clients.push(c);
  return c;
}
const connectionsOn = async (node: SignalingProcess) =>
  ((await (await fetch(`${node.url}/healthz`)).json()) as { connections: number }).connections;

describe('the shipped nginx config in front of two nodes', () => {
  it('redirects plain HTTP to HTTPS', async () => {
    const status = await new Promise<{ code: number; location?: string }>((resolve, reject) =>
      request({ host: '127.0.0.1', port: 80, path: '/x', headers: { Host: 'help.example.com' } }, (res) =>
        resolve({ code: res.statusCode!, location: res.headers.location }),
      )
        .on('error', reject)
        .end(),
    );
    expect(status).toEqual({ code: 301, location: 'https://help.example.com/x' });
  });

  it('upgrades WebSockets over TLS and spreads them over both nodes without sticky sessions; they pair through Redis', async () => {
    const host = await connect();
    const viewer = await connect();
    // Round robin: one socket on each node (checked on the nodes themselves, not through the proxy).
    expect([await connectionsOn(nodes[0]), await connectionsOn(nodes[1])]).toEqual([1, 1]);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect(opened.inviteUrl.startsWith(`${PUBLIC}/#join?code=`)).toBe(true);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Through nginx' });
    const req = await host.next('join.request');
    host.send({ type: 'host.decide', requestId: req.requestId, allow: true });
    await viewer.next('join.accepted');
    const offer = { type: 'offer', sdp: 'v=0\r\n' };
    host.send({ type: 'signal', data: offer });
    expect((await viewer.next('signal')).data).toEqual(offer);
  });

  it('routes both sides of a session to the node that holds it: their signals do not cross nodes', async () => {
    // Every frame one node publishes to another, as the nodes' own Redis carries it.
    const watch = new Redis(redis.url);
    let crossed = 0;
    watch.on('pmessageBuffer', (_pattern: string, _channel: Buffer, batch: Buffer) => {
      for (const frame of decodeBatch(batch)) if (frame.op === 'forward') crossed++;
    });
    await watch.psubscribe('peerdesk:node:*');
    const before = await Promise.all(nodes.map(connectionsOn));
    const SESSIONS = 10;
    const SIGNALS = 10;
    for (let i = 0; i < SESSIONS; i++) {
      // As the app does it: the host's first socket carries one random digit, the viewer's the code it was given.
      const host = await connect('127.0.0.1', `?s=${i}`);
      host.send({ type: 'host.open', v: 1 });
      const opened = await host.next('host.opened');
      expect(opened.code.endsWith(String(i))).toBe(true);
      const viewer = await connect('127.0.0.1', `?s=${opened.code}`);
      viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Routed' });
      const req = await host.next('join.request');
      host.send({ type: 'host.decide', requestId: req.requestId, allow: true });
      await viewer.next('join.accepted');
      for (let n = 0; n < SIGNALS; n++) {
        host.send({ type: 'signal', data: { type: 'offer', sdp: `v=0\r\n${n}` } });
        await viewer.next('signal');
        viewer.send({ type: 'signal', data: { type: 'answer', sdp: `v=0\r\n${n}` } });
        await host.next('signal');
      }
    }
    // The sessions were spread over both nodes (five digits each, both sides on one), yet no signal crossed.
    const during = await Promise.all(nodes.map(connectionsOn));
    expect([during[0]! - before[0]!, during[1]! - before[1]!]).toEqual([SESSIONS, SESSIONS]);
    expect(crossed).toBe(0);
    watch.disconnect();
  });

  it('the nodes count limits against the client address nginx forwards, not against nginx', async () => {
    for (let i = 0; i < 3; i++) {
      const guesser = await connect('127.0.0.77');
      guesser.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '000000', name: 'Guess' });
      expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    }
    const again = await connect('127.0.0.77');
    again.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '000000', name: 'Guess' });
    expect((await again.next('error')).code).toBe('SIG_ERR_JOIN_BACKOFF');
    // Another client behind the same proxy is not caught by that backoff, and a forged header changes nothing.
    const other = await TestClient.connect('wss://127.0.0.1/ws', {
      ca: ca(),
      headers: { Origin: PUBLIC, Host: 'help.example.com', 'X-Forwarded-For': '127.0.0.77' },
      localAddress: '127.0.0.78',
    });
    clients.push(other);
    other.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '000000', name: 'Guess' });
    expect((await other.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
  });

  it('serves the browser viewer and health through the proxy', async () => {
    const page = await fetchTls('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html');
    expect(await healthz()).toBe(200);
  });

  it('does not forward /metrics, even with the token a node would accept', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${nodes[0].url}/metrics`, { headers: auth })).status).toBe(200);
    for (const path of ['/metrics', '/metrics?x=1', '//metrics']) {
      const res = await fetchTls(path, auth);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('peerdesk_signaling');
    }
  });
});
