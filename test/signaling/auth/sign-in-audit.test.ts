import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdentityProvider, type DevIdentityProvider } from '../../../signaling/auth/dev-identity-provider';
import { verifyChain } from '../../../signaling/audit/verify';
import { startSignalingServer } from '../../../signaling/server';
import { freePort } from '../../support/free-port';
import { allRecords, freshAuditUrl, openStore } from '../audit/audit-db';
import { CookieJar, me, request, signIn } from './oidc-flow';

/** The access token lives this long at the provider: the next check after it refreshes (and finds a user gone). */
const ACCESS_TTL_S = 1;
let idp: DevIdentityProvider;
let port: number;
beforeAll(async () => {
  port = await freePort();
  idp = await startDevIdentityProvider({ redirectUris: [`http://127.0.0.1:${port}/auth/callback`], accessTokenTtlS: ACCESS_TTL_S });
});
afterAll(() => idp.close());

const TECH = { name: 'Test Technician', email: 'tech@example.com', org: 'Example IT', issuer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) };

describe('sign-ins in the audit trail', () => {
  it('records who signed in, who was refused by the policy, who signed out, and whose sign-in the provider ended', async () => {
    const auditDb = await freshAuditUrl('sqlite');
    const server = await startSignalingServer({
      port,
      logger: pino({ level: 'silent' }),
      oidcIssuer: idp.issuer,
      oidcClientId: idp.clientId,
      oidcClientSecret: idp.clientSecret,
      oidcAllowed: ['@example.com'],
      auditDb,
    });
    const tech = new CookieJar();
    expect((await signIn(tech, server.url)).status).toBe(303);
    const outsider = new CookieJar();
    expect((await signIn(outsider, server.url, 'visitor@elsewhere.example')).status).toBe(403);
    // A sign-out from another site is refused, and not recorded as one.
    const forged = await request(tech, `${server.url}/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    const out = await request(tech, `${server.url}/auth/logout`, { method: 'POST', headers: { origin: server.url } });
    expect(out.status).toBe(200);

    const gone = new CookieJar();
    await signIn(gone, server.url);
    const user = idp.users.get('tech@example.com')!;
    idp.users.delete('tech@example.com');
    await new Promise((r) => setTimeout(r, ACCESS_TTL_S * 1000 + 200)); // the provider's clock: nothing to await
    expect(await me(gone, server.url)).toMatchObject({ signedIn: false });
    idp.users.set('tech@example.com', user);
    await server.close(); // flushes the trail

    const store = openStore(auditDb);
    const records = await allRecords(store);
    expect(await verifyChain(store)).toMatchObject({ ok: true });
    await store.close();
    const signIns = records.filter((r) => r.type === 'sign-in').map((r) => ({ technician: r.technician, ...JSON.parse(r.fields) }));
    const at = '127.0.0.1';
    expect(signIns).toEqual([
      { technician: 'tech@example.com', outcome: 'signed-in', identity: TECH, address: at },
      {
        technician: 'visitor@elsewhere.example',
        outcome: 'refused',
        reason: 'not on the list of technicians',
        identity: expect.objectContaining({ email: 'visitor@elsewhere.example' }),
        address: at,
      },
      { technician: 'tech@example.com', outcome: 'signed-out', identity: TECH, address: at },
      { technician: 'tech@example.com', outcome: 'signed-in', identity: TECH, address: at },
      { technician: 'tech@example.com', outcome: 'revoked', identity: TECH, address: at },
    ]);
    for (const r of records) expect(r.session).toBeNull();
  });
});
