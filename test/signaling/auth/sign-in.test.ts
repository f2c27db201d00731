import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { CookieJar, me, request, signIn, signInUpToCallback } from './oidc-flow';

let server: RunningSignalingServer;
beforeAll(async () => {
  server = await startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    devIdp: true,
    oidcAllowed: ['@example.com'],
    oidcAdmins: ['group:helpdesk'],
  });
});
afterAll(() => server.close());

/** A signed-in technician's WebSocket (the cookie goes with the upgrade, as a browser sends it). */
async function connectWith(jar: CookieJar) {
  return TestClient.connect(server.wsUrl, { headers: { cookie: jar.header(server.url) }, origin: server.url });
}

async function openSession() {
  const host = await TestClient.connect(server.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  return { host, opened: await host.next('host.opened') };
}

describe('technician sign-in against a real OpenID provider (oidc-provider)', () => {
  it('signs in with the code flow and /auth/me shows who, with no token in the answer', async () => {
    const jar = new CookieJar();
    expect(await me(jar, server.url)).toMatchObject({ enabled: true, signedIn: false });
    const done = await signIn(jar, server.url);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/#joined');
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith('peerdesk-session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=28[0-9]{3}/);
    const who = await me(jar, server.url);
    expect(who).toEqual({
      enabled: true,
      signedIn: true,
      name: 'Test Technician',
      email: 'tech@example.com',
      org: 'Example IT',
      issuer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      admin: true,
      requireSignIn: false,
    });
  });

  it("the host's join.request and peer.admitted carry the verified identity and name, not the typed one; a resumed host gets it again", async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const { host, opened } = await openSession();
    const viewer = await connectWith(jar);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Bob from IT' });
    const request = await host.next('join.request');
    const identity = {
      name: 'Test Technician',
      email: 'tech@example.com',
      org: 'Example IT',
      issuer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    };
    expect(request.name).toBe('Test Technician');
    expect(request.identity).toEqual(identity);
    host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
    const admitted = await host.next('peer.admitted');
    expect(admitted).toMatchObject({ name: 'Test Technician', identity });
    const { token } = await host.next('resume.token');
    host.close();
    await viewer.next('peer.away');
    const again = await TestClient.connect(server.wsUrl);
    again.send({ type: 'session.resume', v: 1, code: opened.code, token, fresh: false });
    expect(await again.next('session.resumed')).toMatchObject({ peerName: 'Test Technician', peerIdentity: identity });
    again.close();
    viewer.close();
  });

  it('a forged identity field in a join is refused and nothing reaches the host', async () => {
    const { host, opened } = await openSession();
    const viewer = await TestClient.connect(server.wsUrl);
    const identity = { name: 'Forged Admin', email: 'boss@example.com', issuer: 'login.example.com' };
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Forged Admin', identity });
    expect(await viewer.next('error')).toMatchObject({ code: 'SIG_ERR_BAD_MESSAGE' });
    expect(await host.nothing('join.request')).toBe(true);
    // The same join without the forged field goes through, unverified.
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Forged Admin' });
    const request = await host.next('join.request');
    expect(request.identity).toBeUndefined();
    host.close();
    viewer.close();
  });

  it('typed names that imitate a verified one are refused with a reason, and the host sees nothing', async () => {
    const { host, opened } = await openSession();
    for (const name of ['IT Support ✓', 'Helpdesk ✔', '☑ Ana', 'Verified Technician', 'ana@example.com', 'Ana (ana＠example.com)']) {
      const viewer = await TestClient.connect(server.wsUrl);
      viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name });
      const error = await viewer.next('error');
      expect(error.code, name).toBe('SIG_ERR_BAD_MESSAGE');
      expect(error.message, name).toMatch(/name .*check marks, the word "verified" or an email address/);
      viewer.close();
    }
    expect(await host.nothing('join.request')).toBe(true);
    expect(await host.nothing('join.failed')).toBe(true);
    host.close();
  });

  it('a changed state on the way back is refused, and no sign-in results', async () => {
    const jar = new CookieJar();
    const callback = new URL(await signInUpToCallback(jar, server.url));
    callback.searchParams.set('state', 'not-the-state-we-sent');
    const res = await request(jar, callback.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in failed');
    expect(await me(jar, server.url)).toMatchObject({ signedIn: false });
  });

  it('a callback without the login cookie (another browser, or replayed) is refused', async () => {
    const jar = new CookieJar();
    const callback = await signInUpToCallback(jar, server.url);
    const res = await request(new CookieJar(), callback);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Sign-in expired');
  });

  it('a tampered session cookie is no sign-in: /auth/me says so and a join is unverified', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const sealed = jar.get(server.url, 'peerdesk-session')!;
    const i = sealed.length - 30;
    jar.set(server.url, 'peerdesk-session', sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1));
    expect(await me(jar, server.url)).toMatchObject({ signedIn: false });
    const { host, opened } = await openSession();
    const viewer = await connectWith(jar);
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Typed Tom' });
    const joined = await host.next('join.request');
    expect(joined).toMatchObject({ name: 'Typed Tom' });
    expect(joined.identity).toBeUndefined();
    host.close();
    viewer.close();
  });

  it('someone the provider signs in who is not on the allowed list is refused with a clear page', async () => {
    const jar = new CookieJar();
    const res = await signIn(jar, server.url, 'visitor@elsewhere.example');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('visitor@elsewhere.example is not on this server&#39;s list of technicians');
    expect(await me(jar, server.url)).toMatchObject({ signedIn: false });
  });

  it('signs out on a same-origin POST only; a cross-origin POST leaves the sign-in alone', async () => {
    const jar = new CookieJar();
    await signIn(jar, server.url);
    const foreign = await request(jar, `${server.url}/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const noOrigin = await request(jar, `${server.url}/auth/logout`, { method: 'POST' });
    expect(noOrigin.status).toBe(403);
    expect(await me(jar, server.url)).toMatchObject({ signedIn: true });
    const own = await request(jar, `${server.url}/auth/logout`, { method: 'POST', headers: { origin: server.url } });
    expect(own.status).toBe(200);
    expect(await me(jar, server.url)).toMatchObject({ signedIn: false });
  });

  it('the way back after sign-in stays on this origin (no open redirect)', async () => {
    for (const [asked, back] of [
      ['//evil.example/x', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
      ['/#join?code=123456789&pin=123456', '/#join?code=123456789&pin=123456'],
    ]) {
      const res = await signIn(new CookieJar(), server.url, undefined, asked);
      expect(res.headers.get('location'), asked).toBe(back);
    }
  });
});
