import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP_CODE_TTL_MS, appSessionSchema } from '../../../protocol/app-sign-in';
import { startDevIdentityProvider, type DevIdentityProvider } from '../../../signaling/auth/dev-identity-provider';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { freePort } from '../../support/free-port';
import { RedisServer } from '../../support/redis-server';
import { CookieJar, providerUpToCallback, request } from './oidc-flow';

/**
 * Two nodes behind one proxy share sessions through Redis; the desktop app's one-time code must be shared too: the
 * browser's callback lands on one node, the app's exchange on whichever the proxy picks.
 */
let redis: RedisServer;
let idp: DevIdentityProvider;
let nodes: RunningSignalingServer[];
let client: Redis;
beforeAll(async () => {
  redis = await RedisServer.start();
  const ports = [await freePort(), await freePort()];
  idp = await startDevIdentityProvider({ redirectUris: ports.map((p) => `http://127.0.0.1:${p}/auth/callback`) });
  nodes = await Promise.all(
    ports.map((port) =>
      startSignalingServer({
        port,
        logger: pino({ level: 'silent' }),
        redisUrl: redis.url,
        oidcIssuer: idp.issuer,
        oidcClientId: idp.clientId,
        oidcClientSecret: idp.clientSecret,
        sessionSecret: 'one secret for every node behind the proxy',
      }),
    ),
  );
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await Promise.all((nodes ?? []).map((n) => n.close()));
  await idp?.close();
  await redis?.stop();
});

const REDIRECT = 'http://127.0.0.1:9/callback';

/** The app starts its sign-in and the browser goes through the provider, all on `node`; returns the code and its verifier. */
async function codeFrom(node: RunningSignalingServer) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(24).toString('base64url');
  const login = new URL('/auth/app/login', node.url);
  login.search = new URLSearchParams({
    redirect_uri: REDIRECT,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const jar = new CookieJar();
  const back = await request(jar, await providerUpToCallback(jar, node.url, login.href));
  expect(back.status).toBe(303);
  const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
  return { code, body: { code, code_verifier: verifier, state, redirect_uri: REDIRECT } };
}

const exchange = (node: RunningSignalingServer, body: Record<string, string>) =>
  fetch(`${node.url}/auth/app/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('a code made on one node buys the credential on the other, once: it is spent there, for every node', async () => {
  const [a, b] = nodes;
  const { body } = await codeFrom(a);
  const res = await exchange(b, body);
  expect(res.status).toBe(200);
  expect(appSessionSchema.parse(await res.json()).technician.email).toBe('tech@example.com');
  for (const node of [a, b]) {
    const again = await exchange(node, body);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_description: 'unknown or already used code' });
  }
});

it('Redis holds only the hash of a code, for its lifetime; a wrong verifier spends it on every node', async () => {
  const [a, b] = nodes;
  const { code, body } = await codeFrom(b);
  const keys = await client.keys('*app-code*');
  const hash = createHash('sha256').update(code).digest('hex');
  expect(keys).toContain(`peerdesk:app-code:${hash}`);
  expect(keys.some((k) => k.includes(code))).toBe(false);
  // The grant is sealed under a key only the code gives: no code, no technician, no refresh token in Redis.
  const stored = (await client.get(`peerdesk:app-code:${hash}`))!;
  expect(stored).not.toContain(code);
  expect(stored).not.toMatch(/tech@example\.com|redirect_uri|127\.0\.0\.1/);
  const ttl = await client.pttl(`peerdesk:app-code:${hash}`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(APP_CODE_TTL_MS);

  const wrong = await exchange(a, { ...body, code_verifier: randomBytes(32).toString('base64url') });
  expect(await wrong.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier/) });
  expect(await client.exists(`peerdesk:app-code:${hash}`)).toBe(0);
  expect((await exchange(b, body)).status).toBe(400);
});

it('codes raced at two nodes at once are redeemed by exactly one', async () => {
  const [a, b] = nodes;
  const { body } = await codeFrom(a);
  const answers = await Promise.all([exchange(a, body), exchange(b, body), exchange(a, body), exchange(b, body)]);
  expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
});
