import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { freePort } from '../../support/free-port';
import { allRecords, freshAuditUrl, openStore } from '../audit/audit-db';
import { CookieJar, me, request, signInUpToCallback } from './oidc-flow';

/**
 * A test-only provider that signs the ID token we ask for with jose: a correct one, and each way one can be wrong.
 * The relying party under test is the real one; only the provider's answer is crafted.
 */
type Mode = 'good' | 'wrong-issuer' | 'wrong-audience' | 'expired' | 'bad-signature' | 'wrong-nonce';
let mode: Mode = 'good';
let provider: Server;
let issuer = '';
let server: RunningSignalingServer;
let auditDb: string;
const CLIENT_ID = 'peerdesk-test';

async function startCraftingProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const { privateKey: strangerKey } = await generateKeyPair('RS256');
  const nonces = new Map<string, string>();
  const idToken = (nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      email: 'tech@example.com',
      email_verified: true,
      name: 'Crafted Tech',
      nonce: mode === 'wrong-nonce' ? 'another-nonce' : nonce,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(mode === 'wrong-issuer' ? 'http://127.0.0.1:9/not-the-issuer' : issuer)
      .setAudience(mode === 'wrong-audience' ? 'someone-else' : CLIENT_ID)
      .setSubject('tech-1')
      .setIssuedAt(mode === 'expired' ? now - 7200 : now)
      .setExpirationTime(mode === 'expired' ? now - 3600 : now + 600)
      .sign((mode === 'bad-signature' ? strangerKey : privateKey) as CryptoKey);
  };
  provider = createServer((req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks')
      return void exportJWK(publicKey).then((k) => json({ keys: [{ ...k, kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    if (url.pathname === '/authorize') {
      const code = `code-${nonces.size}`;
      nonces.set(code, url.searchParams.get('nonce')!);
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state')! }).toString();
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const nonce = nonces.get(new URLSearchParams(body).get('code')!) ?? '';
        void idToken(nonce).then((id_token) => json({ access_token: 'at', token_type: 'Bearer', expires_in: 600, id_token }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await startCraftingProvider();
  const port = await freePort();
  auditDb = await freshAuditUrl('sqlite');
  server = await startSignalingServer({
    auditDb,
    port,
    logger: pino({ level: 'silent' }),
    oidcIssuer: issuer,
    oidcClientId: CLIENT_ID,
    oidcClientSecret: 'test-secret',
  });
});
afterAll(async () => {
  await server.close();
  await new Promise((r) => provider.close(r));
});

async function attempt(m: Mode) {
  mode = m;
  const jar = new CookieJar();
  const res = await request(jar, await signInUpToCallback(jar, server.url));
  return { status: res.status, body: await res.text(), me: await me(jar, server.url) };
}

describe('ID token validation (openid-client) refuses every wrong token', () => {
  it('accepts a correct token (the control case)', async () => {
    const r = await attempt('good');
    expect(r.status).toBe(303);
    expect(r.me).toMatchObject({ signedIn: true, name: 'Crafted Tech' });
  });

  it.each([
    ['wrong-issuer', /iss/],
    ['wrong-audience', /aud/],
    ['expired', /exp|timestamp/],
    ['bad-signature', /signature|JWS/i],
    ['wrong-nonce', /nonce/],
  ] as const)('refuses a token with %s', async (m, why) => {
    const r = await attempt(m);
    expect(r.status).toBe(400);
    expect(r.body).toContain('Sign-in failed');
    expect(r.body).toMatch(why);
    expect(r.me).toMatchObject({ signedIn: false });
  });

  it("each refusal is in the audit trail with the reason the provider's answer was refused", async () => {
    const store = openStore(auditDb);
    const refused = async () =>
      (await allRecords(store))
        .filter((r) => r.type === 'sign-in')
        .map((r) => JSON.parse(r.fields) as { outcome: string; reason?: string });
    // Written a moment after the answer (the trail never holds a request up): wait for the writer.
    await vi.waitFor(async () => expect((await refused()).filter((r) => r.outcome === 'refused')).toHaveLength(5), { timeout: 5000 });
    const reasons = (await refused()).filter((r) => r.outcome === 'refused').map((r) => r.reason);
    expect(reasons[0]).toMatch(/iss/);
    expect(reasons[1]).toMatch(/aud/);
    expect(reasons[3]).toMatch(/signature|JWS/i);
    expect(reasons[4]).toMatch(/nonce/);
    expect((await refused()).filter((r) => r.outcome === 'signed-in')).toHaveLength(1);
    await store.close();
  });
});
