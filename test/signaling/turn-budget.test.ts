import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { grantFor } from '../../signaling/turn-credentials';
import { TestClient } from '../support/signaling-client';

const silent = pino({ level: 'silent' });
const turn = { turnUrls: ['turn:turn.example:3478'], turnSecret: 'test-secret', stunUrls: [] };
let server: RunningSignalingServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
});

describe('TURN credentials are not on tap', () => {
  it('a host resuming its own session in a loop is refused after the per-address budget and gets one credential', async () => {
    server = await startSignalingServer({ port: 0, logger: silent, ...turn, resumesPerMinute: 10, maxRejectedMessages: 100 });
    const host = await TestClient.connect(server.wsUrl);
    clients.push(host);
    host.send({ type: 'host.open', v: 1 });
    let ticket = await host.next('resume.token');
    const usernames = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const again = await TestClient.connect(server.wsUrl);
      clients.push(again);
      again.send({ type: 'session.resume', v: 1, code: ticket.code, token: ticket.token, fresh: false });
      ticket = await again.next('resume.token');
      const resumed = await again.next('session.resumed');
      const relay = resumed.iceServers.find((s) => s.username);
      usernames.add(relay!.username!);
    }
    expect(usernames.size).toBe(1);
    const refused = await TestClient.connect(server.wsUrl);
    clients.push(refused);
    refused.send({ type: 'session.resume', v: 1, code: ticket.code, token: ticket.token, fresh: false });
    const error = await refused.next('error');
    expect(error.code).toBe('SIG_ERR_RATE_LIMITED');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    // Closed so the client's own reconnect backoff tries again later; the token was not spent.
    expect((await refused.closed).code).toBe(1013);
    expect(await refused.nothing('session.resumed')).toBe(true);
  });

  it('hands the same grant again while more than half its lifetime is left, then a fresh one', () => {
    const config = { ...turn, turnCredentialTtlS: 300 };
    const label = () => Math.random().toString(36).slice(2);
    const t0 = 1_700_000_000_000;
    const first = grantFor(config, undefined, label, t0)!;
    expect(grantFor(config, first, label, t0 + 149_000)).toBe(first);
    const renewed = grantFor(config, first, label, t0 + 151_000)!;
    expect(renewed.username).not.toBe(first.username);
    expect(renewed.expiresAt).toBe(t0 + 451_000);
    expect(grantFor({ ...config, turnSecret: undefined }, undefined, label, t0)).toBeUndefined();
  });
});
