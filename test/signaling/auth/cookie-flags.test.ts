import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelyingParty } from '../../../signaling/auth/relying-party';
import { CookieSealer } from '../../../signaling/auth/sealed-cookie';
import { SignInSessions } from '../../../signaling/auth/sign-in-sessions';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';

/** A real certificate for 127.0.0.1, made by openssl for this run. */
let dir: string;
let cert: Buffer;
let server: RunningSignalingServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'peerdesk-auth-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  cert = readFileSync(join(dir, 'cert.pem'));
  server = await startSignalingServer({
    port: 0,
    logger: pino({ level: 'silent' }),
    tlsCertFile: join(dir, 'cert.pem'),
    tlsKeyFile: join(dir, 'key.pem'),
    devIdp: true,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

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
