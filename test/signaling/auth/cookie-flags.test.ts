import { get } from 'node:https';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelyingParty } from '../../../signaling/auth/relying-party';
import { CookieSealer } from '../../../signaling/auth/sealed-cookie';
import { SignInSessions } from '../../../signaling/auth/sign-in-sessions';
import type { RunningSignalingServer } from '../../../signaling/server';
import { startTlsServer, type TlsServer } from '../../support/tls-server';

/** The real server on TLS with its dev identity provider (test/support/tls-server.ts makes the certificate). */
let tls: TlsServer;
let server: RunningSignalingServer;
let cert: Buffer;
beforeAll(async () => {
  tls = await startTlsServer({ devIdp: true });
  ({ server, cert } = tls);
});
afterAll(() => tls?.close());

const setCookies = (url: string) =>
  new Promise<string[]>((resolve, reject) =>
    get(url, { ca: cert }, (res) => {
      res.resume();
      resolve(res.headers['set-cookie'] ?? []);
    }).on('error', reject),
  );

describe('sign-in cookies under TLS', () => {
  it('the login-state cookie is HttpOnly, Secure, SameSite=Lax and only sent to the callback', async () => {
    const [login] = await setCookies(`${server.url}/auth/login`);
    expect(login).toMatch(/^peerdesk-login=[^;]+; Path=\/auth\/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('the session cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/, 8 h', async () => {
    const rp = new RelyingParty({ issuer: 'https://idp.example', clientId: 'c', redirectUri: 'https://x/auth/callback', scopes: 'openid' });
    const sessions = new SignInSessions(new CookieSealer('secret'), rp, 'idp.example', true, pino({ level: 'silent' }));
    const cookie = await sessions.create({ sub: 's', name: 'N', email: 'n@example.com', issuer: 'idp.example', admin: false });
    expect(cookie).toMatch(/^__Host-peerdesk-session=[^;]+; Path=\/; Max-Age=28[0-9]{3}; HttpOnly; SameSite=Lax; Secure$/);
    // Sealed: nothing of the identity is readable in it.
    expect(cookie).not.toMatch(/n@example\.com|bkBleGFtcGxl/);
  });
});
