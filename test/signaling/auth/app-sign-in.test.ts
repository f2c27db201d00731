import { createHash, randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_CODE_TTL_MS, appSessionSchema } from '../../../protocol/app-sign-in';
import { DESKTOP_APP_ORIGIN } from '../../../protocol/limits';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { CookieJar, providerUpToCallback, request } from './oidc-flow';

/**
 * The desktop app's sign-in at the protocol level, against the real dev provider (oidc-provider): the browser's part
 * driven over HTTP by oidc-flow.ts, the app's part (loopback redirect, PKCE exchange) by hand so each guard can be
 * crossed on purpose. The whole flow with the app's own service and Chromium is test/e2e/desktop-sign-in.test.ts.
 */
let server: RunningSignalingServer;
beforeAll(async () => {
  server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), devIdp: true, oidcAllowed: ['@example.com'] });
});
afterAll(() => server.close());
afterEach(() => void vi.useRealTimers());

const REDIRECT = 'http://127.0.0.1:9/callback';

/** The app's half of the start, then the browser's through the provider; returns where the browser is sent back. */
async function browserSignIn(redirectUri = REDIRECT) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(24).toString('base64url');
  const login = new URL('/auth/app/login', server.url);
  login.search = new URLSearchParams({
    redirect_uri: redirectUri,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const jar = new CookieJar();
  const back = await request(jar, await providerUpToCallback(jar, server.url, login.href));
  expect(back.status).toBe(303);
  const location = new URL(back.headers.get('location')!);
  return { jar, verifier, state, redirectUri, location, code: location.searchParams.get('code')! };
}

function exchange(body: Record<string, string>) {
  return fetch(`${server.url}/auth/app/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const redeem = (s: Awaited<ReturnType<typeof browserSignIn>>, change: Record<string, string> = {}) =>
  exchange({ code: s.code, code_verifier: s.verifier, state: s.state, redirect_uri: s.redirectUri, ...change });

async function expectRefused(res: Response, why: RegExp) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; error_description: string; credential?: string };
  expect(body.error).toBe('invalid_grant');
  expect(body.error_description).toMatch(why);
  expect(body.credential).toBeUndefined();
}

describe('desktop sign-in: loopback redirect with a one-time code and PKCE (RFC 8252)', () => {
  it('sends the browser to the loopback address with only a code and the state, and the code buys the credential', async () => {
    const s = await browserSignIn();
    expect(`${s.location.origin}${s.location.pathname}`).toBe(REDIRECT);
    expect([...s.location.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect(s.location.searchParams.get('state')).toBe(s.state);
    // The system browser itself is not signed in by the app's sign-in.
    expect(s.jar.get(server.url, 'peerdesk-session')).toBeUndefined();

    const res = await redeem(s);
    expect(res.status).toBe(200);
    const session = appSessionSchema.parse(await res.json());
    expect(session.technician).toMatchObject({ name: 'Test Technician', email: 'tech@example.com', org: 'Example IT' });
    expect(session.credential).toBeTruthy();

    const me = await fetch(`${server.url}/auth/app/me`, { headers: { authorization: `Bearer ${session.credential}` } });
    expect(appSessionSchema.parse(await me.json()).technician.name).toBe('Test Technician');

    // The credential on the app's WebSocket upgrade: the host's request carries the verified identity.
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await TestClient.connect(server.wsUrl, {
      origin: DESKTOP_APP_ORIGIN,
      headers: { authorization: `Bearer ${session.credential}` },
    });
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Typed Name' });
    const asked = await host.next('join.request');
    expect(asked.name).toBe('Test Technician');
    expect(asked.identity).toMatchObject({ name: 'Test Technician', email: 'tech@example.com', org: 'Example IT' });
    host.close();
    viewer.close();
  });

  it('a code works once: a replayed code is refused', async () => {
    const s = await browserSignIn();
    expect((await redeem(s)).status).toBe(200);
    await expectRefused(await redeem(s), /unknown or already used/);
  });

  it('a wrong verifier is refused, and the code is spent by the attempt', async () => {
    const s = await browserSignIn();
    await expectRefused(await redeem(s, { code_verifier: randomBytes(32).toString('base64url') }), /code_verifier/);
    await expectRefused(await redeem(s), /unknown or already used/);
  });

  it('a wrong state is refused', async () => {
    const s = await browserSignIn();
    await expectRefused(await redeem(s, { state: randomBytes(24).toString('base64url') }), /state/);
  });

  it('an expired code is refused', async () => {
    const s = await browserSignIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + APP_CODE_TTL_MS + 1000);
    await expectRefused(await redeem(s), /expired/);
  });

  it('a redirect_uri other than a loopback IP with a port is refused before the provider is asked', async () => {
    const challenge = createHash('sha256').update('x'.repeat(43)).digest('base64url');
    for (const redirect of [
      'https://attacker.example/callback',
      'http://attacker.example:8080/callback',
      'http://localhost:8080/callback',
      'http://127.0.0.1.attacker.example:8080/callback',
      'http://127.0.0.1/callback',
      'http://user@127.0.0.1:8080/callback',
      'http://127.0.0.1:8080/callback?next=https://attacker.example',
      'file:///tmp/x',
    ]) {
      const login = new URL('/auth/app/login', server.url);
      login.search = new URLSearchParams({
        redirect_uri: redirect,
        state: 's'.repeat(32),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString();
      const res = await fetch(login, { redirect: 'manual' });
      expect(res.status, redirect).toBe(400);
      expect(res.headers.get('location'), redirect).toBeNull();
      expect(await res.text(), redirect).toContain('redirect_uri must be http://127.0.0.1');
    }
    // IPv6 loopback is a loopback address too.
    const s = await browserSignIn('http://[::1]:9/callback');
    expect(s.location.host).toBe('[::1]:9');
  });

  it('a tampered credential, or the browser cookie offered as one, names nobody', async () => {
    const s = await browserSignIn();
    const { credential } = appSessionSchema.parse(await (await redeem(s)).json());
    const i = credential!.length - 30;
    const tampered = credential!.slice(0, i) + (credential![i] === 'A' ? 'B' : 'A') + credential!.slice(i + 1);
    const me = await fetch(`${server.url}/auth/app/me`, { headers: { authorization: `Bearer ${tampered}` } });
    expect(me.status).toBe(401);
    // And the credential is no browser cookie.
    const asCookie = await fetch(`${server.url}/auth/me`, { headers: { cookie: `peerdesk-session=${credential}` } });
    expect(await asCookie.json()).toMatchObject({ signedIn: false });
  });
});
