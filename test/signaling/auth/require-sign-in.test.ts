import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEV_USERS, startDevIdentityProvider, type DevIdentityProvider } from '../../../signaling/auth/dev-identity-provider';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { freePort } from '../../support/free-port';
import { TestClient } from '../../support/signaling-client';
import { CookieJar, me, request, signIn } from './oidc-flow';

/** The access token lives this long at the provider: the next check after it refreshes. */
const ACCESS_TTL_S = 1;
let idp: DevIdentityProvider;
let server: RunningSignalingServer;
beforeAll(async () => {
  const port = await freePort();
  idp = await startDevIdentityProvider({ redirectUris: [`http://127.0.0.1:${port}/auth/callback`], accessTokenTtlS: ACCESS_TTL_S });
  server = await startSignalingServer({
    port,
    logger: pino({ level: 'silent' }),
    oidcIssuer: idp.issuer,
    oidcClientId: idp.clientId,
    oidcClientSecret: idp.clientSecret,
    sessionSecret: 'a test secret that seals the cookies',
    requireSignIn: true,
  });
});
// Each test starts with the provider's users as shipped (the refresh tests delete one).
afterEach(() => idp.users.set('tech@example.com', DEV_USERS['tech@example.com']));
afterAll(async () => {
  await server.close();
  await idp.close();
});

/** The access token's lifetime passing (nothing to await: it is the provider's clock). */
const tokenExpiry = () => new Promise((r) => setTimeout(r, ACCESS_TTL_S * 1000 + 200));

async function openSession() {
  const host = await TestClient.connect(server.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  return { host, opened: await host.next('host.opened') };
}

describe('--require-sign-in', () => {
  it('refuses an anonymous join with a coded error; the host receives nothing, not even a wrong-PIN count', async () => {
    const { host, opened } = await openSession();
    const viewer = await TestClient.connect(server.wsUrl);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Anonymous Andy' });
    expect(await viewer.next('error')).toMatchObject({ code: 'SIG_ERR_SIGN_IN_REQUIRED', message: expect.stringContaining('signed-in') });
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: '000000', name: 'Anonymous Andy' });
    expect(await viewer.next('error')).toMatchObject({ code: 'SIG_ERR_SIGN_IN_REQUIRED' });
    expect(await host.nothing('join.request')).toBe(true);
    expect(host.received.filter((m) => m.type !== 'resume.token')).toEqual([]);
    expect(await me(new CookieJar(), server.url)).toMatchObject({ enabled: true, signedIn: false, requireSignIn: true });
    host.close();
    viewer.close();
  });

  it('lets a signed-in technician join', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const { host, opened } = await openSession();
    const viewer = await TestClient.connect(server.wsUrl, { headers: { cookie: jar.header(server.url) } });
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Whatever' });
    expect(await host.next('join.request')).toMatchObject({ name: 'Test Technician', identity: { email: 'tech@example.com' } });
    host.close();
    viewer.close();
  });
});

describe('refresh', () => {
  it('refreshes after the access token expired, and ends the sign-in when the provider says the user is gone', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const first = jar.get(server.url, 'peerdesk-session');
    await tokenExpiry();
    expect(await me(jar, server.url)).toMatchObject({ signedIn: true });
    // The refreshed cookie replaced the first one (new expiry of the access token inside).
    expect(jar.get(server.url, 'peerdesk-session')).not.toBe(first);

    idp.users.delete('tech@example.com');
    await tokenExpiry();
    const res = await request(jar, `${server.url}/auth/me`);
    expect(await res.json()).toMatchObject({ signedIn: false });
    expect(res.headers.getSetCookie().some((c) => /^peerdesk-session=;.*Max-Age=0/.test(c))).toBe(true);
  });

  it('a WebSocket whose sign-in the provider revoked is treated as unsigned', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    idp.users.delete('tech@example.com');
    await tokenExpiry();
    const { host, opened } = await openSession();
    const viewer = await TestClient.connect(server.wsUrl, { headers: { cookie: jar.header(server.url) } });
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Gone Gary' });
    expect(await viewer.next('error')).toMatchObject({ code: 'SIG_ERR_SIGN_IN_REQUIRED' });
    expect(await host.nothing('join.request')).toBe(true);
    host.close();
    viewer.close();
  });
});

describe('several nodes', () => {
  it('a sign-in sealed by one node is read by another with the same --session-secret, and by no other key', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const cookie = jar.header(server.url);
    const node = (sessionSecret: string) =>
      startSignalingServer({
        port: 0,
        logger: pino({ level: 'silent' }),
        oidcIssuer: idp.issuer,
        oidcClientId: idp.clientId,
        oidcClientSecret: idp.clientSecret,
        sessionSecret,
      });
    const [same, other] = await Promise.all([node('a test secret that seals the cookies'), node('another secret')]);
    const meAt = async (url: string) => (await fetch(`${url}/auth/me`, { headers: { cookie } })).json();
    expect(await meAt(same.url)).toMatchObject({ signedIn: true, email: 'tech@example.com' });
    expect(await meAt(other.url)).toMatchObject({ signedIn: false });
    await Promise.all([same.close(), other.close()]);
  });
});

describe('dev identity provider', () => {
  it('refuses to listen on any address but loopback', async () => {
    for (const host of ['0.0.0.0', '192.168.1.20', '::', 'example.com'])
      await expect(startDevIdentityProvider({ host, redirectUris: ['http://127.0.0.1:1/auth/callback'] }), host).rejects.toThrow(
        /loopback only/,
      );
  });
});
