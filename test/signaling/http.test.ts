import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

let server: RunningSignalingServer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>PeerDesk</title>');
  server = await startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    staticDir: dir,
    allowedOrigins: ['https://helpdesk.example'],
  });
});
afterAll(() => server.close());

describe('HTTP endpoints', () => {
  it('GET /healthz answers 200 with JSON status', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', sessions: expect.any(Number), connections: expect.any(Number) });
  });

  it('GET /metrics serves Prometheus text with connections, sessions, joins by outcome and rejections', async () => {
    const { host, viewer } = await pairedSession(server.wsUrl);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^peerdesk_signaling_connections 2$/m);
    expect(text).toMatch(/^peerdesk_signaling_sessions 1$/m);
    expect(text).toMatch(/^peerdesk_signaling_joins_total\{outcome="admitted"\} 1$/m);
    expect(text).toContain('# TYPE peerdesk_signaling_rejected_messages_total counter');
    host.close();
    viewer.close();
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
