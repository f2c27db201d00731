import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

let server: RunningSignalingServer;
const METRICS_TOKEN = 'scrape-9f2c41d7';
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>PeerDesk</title>');
  server = await startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    staticDir: dir,
    allowedOrigins: ['https://helpdesk.example'],
    metricsToken: METRICS_TOKEN,
    metricsListen: '127.0.0.1:0',
  });
});
afterAll(() => server.close());

describe('HTTP endpoints', () => {
  it('GET /healthz answers 200 with JSON status', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', sessions: expect.any(Number), connections: expect.any(Number) });
  });

  it('GET /metrics on the metrics listener serves Prometheus text with connections, sessions, joins and rejections', async () => {
    const { host, viewer } = await pairedSession(server.wsUrl);
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(server.metricsUrl).not.toContain(`:${server.port}/`);
    const text = await (await fetch(server.metricsUrl!)).text();
    expect(text).toMatch(/^peerdesk_signaling_connections 2$/m);
    expect(text).toMatch(/^peerdesk_signaling_sessions 1$/m);
    expect(text).toMatch(/^peerdesk_signaling_joins_total\{outcome="admitted"\} 1$/m);
    expect(text).toContain('# TYPE peerdesk_signaling_rejected_messages_total counter');
    host.close();
    viewer.close();
  });

  it('GET /metrics on the main listener needs the bearer token, even from loopback', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('peerdesk_signaling');
    const right = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('peerdesk_signaling_connections');
  });

  it('GET /metrics is not served at all on the main listener of a server without a token', async () => {
    const plain = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }) });
    try {
      const res = await fetch(`${plain.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('peerdesk_signaling');
      expect(plain.metricsUrl).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('serves the renderer with CSP, nosniff and no framing', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>PeerDesk</title>');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers 404 for unknown paths and 405 for writes', async () => {
    expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('WebSocket origin allowlist', () => {
  it('accepts the server’s own origin, the desktop app and configured origins', async () => {
    for (const origin of [server.url, 'app://peerdesk', 'https://helpdesk.example']) {
      const c = await TestClient.connect(server.wsUrl, { origin });
      c.close();
    }
  });

  it('refuses a foreign web page with 403', async () => {
    await expect(TestClient.connect(server.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(TestClient.connect(server.wsUrl, { origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/);
  });

  it('refuses upgrades on any path but /ws', async () => {
    await expect(TestClient.connect(server.wsUrl.replace(/\/ws$/, '/other'))).rejects.toThrow(/404/);
  });
});

describe('the built viewer', () => {
  it('serves /favicon.ico: the tray icon as a real .ico, named by the page', async () => {
    const built = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), staticDir: 'dist/renderer' });
    try {
      const res = await fetch(`${built.url}/favicon.ico`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)$/);
      const ico = Buffer.from(await res.arrayBuffer());
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 1]);
      const png = readFileSync('renderer/static/tray.png');
      expect([ico[6], ico[7], ico.readUInt32LE(14), ico.readUInt32LE(18)]).toEqual([32, 32, png.length, 22]);
      expect(ico.subarray(22).equals(png)).toBe(true);
      const page = await (await fetch(`${built.url}/`)).text();
      expect(page).toContain('<link rel="icon" href="favicon.ico"');
    } finally {
      await built.close();
    }
  });
});
