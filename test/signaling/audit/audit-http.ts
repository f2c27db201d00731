import pino from 'pino';
import { CookieSealer } from '../../../signaling/auth/sealed-cookie';
import { startSignalingServer, type RunningSignalingServer, type StartOptions } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';

/** Shared by every server these tests start, so a cookie sealed here opens on any of them (as `--session-secret`). */
export const SECRET = 'audit-routes-test-secret';
export const TINA = 'tina@example.com';
export const OLLIE = 'ollie@example.com';
export const sha256 = 'b'.repeat(64);

export const start = (options: StartOptions = {}) =>
  startSignalingServer({ port: 0, devIdp: true, sessionSecret: SECRET, logger: pino({ level: 'silent' }), ...options });

/** The cookie the server sets after the provider's login, sealed with sign-in's own sealer (admin or not). */
export async function cookieFor(server: { url: string }, email: string, admin = false): Promise<string> {
  const me = (await (await fetch(`${server.url}/auth/me`)).json()) as { issuer: string };
  const session = { sub: email, name: email.split('@')[0], email, org: 'Example IT', issuer: me.issuer, admin };
  const sealed = await new CookieSealer(SECRET).seal(session, 'session', Math.floor(Date.now() / 1000) + 3600);
  return `peerdesk-session=${sealed}`;
}

/** A session start to end; a report is followed by a relayed signal so it reaches the trail in script order. */
export async function scriptedSession(server: RunningSignalingServer, cookie?: string, fileName = 'fix "it".ps1') {
  const host = await TestClient.connect(server.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');
  const viewer = await TestClient.connect(server.wsUrl, cookie ? { headers: { cookie } } : {});
  viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Typed Name' });
  const request = await host.next('join.request');
  host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  await viewer.next('join.accepted');
  const report = async (from: TestClient, to: TestClient, event: object) => {
    from.send({ type: 'audit.report', event });
    from.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
    await to.next('signal');
  };
  await report(viewer, host, { type: 'control', action: 'requested' });
  await report(host, viewer, { type: 'control', action: 'granted' });
  await report(viewer, host, { type: 'file', action: 'completed', direction: 'sent', name: fileName, size: 99, sha256 });
  await report(host, viewer, { type: 'control', action: 'revoked' });
  host.send({ type: 'leave' });
  await viewer.next('session.ended');
  host.close();
  viewer.close();
}
