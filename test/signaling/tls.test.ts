import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../signaling/server';
import { TestClient } from '../support/signaling-client';
import { startTlsServer, type TlsServer } from '../support/tls-server';

/** A real certificate for 127.0.0.1, made by openssl for this run, served by the real server. */
let tls: TlsServer;
let server: RunningSignalingServer;
let cert: Buffer;

beforeAll(async () => {
  tls = await startTlsServer();
  ({ server, cert } = tls);
});

afterAll(() => tls?.close());

describe('TLS (wss)', () => {
  it('serves https and wss, and invite links use https', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    const host = await TestClient.connect(server.wsUrl, { ca: cert, origin: server.url });
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect(opened.inviteUrl.startsWith(`${server.url}/#join?code=${opened.code}`)).toBe(true);
    host.close();
  });

  it('answers /healthz over https', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      get(`${server.url}/healthz`, { ca: cert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).once('error', reject);
    });
    expect(status).toBe(200);
  });

  it('is really TLS: a client that does not trust the certificate is refused, and plain ws gets nowhere', async () => {
    await expect(TestClient.connect(server.wsUrl)).rejects.toThrow(/self-signed|certificate/i);
    await expect(TestClient.connect(server.wsUrl.replace(/^wss/, 'ws'))).rejects.toThrow();
  });

  it('refuses a foreign page over wss too', async () => {
    await expect(TestClient.connect(server.wsUrl, { ca: cert, origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
});
