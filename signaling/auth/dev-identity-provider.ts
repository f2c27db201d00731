import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Account } from 'oidc-provider';
import type { Logger } from 'pino';

export interface DevUser {
  name: string;
  org?: string;
  groups?: string[];
}

/** The test users: sign in with the email as login and any password (oidc-provider's dev interactions). */
export const DEV_USERS: Record<string, DevUser> = {
  'tech@example.com': { name: 'Test Technician', org: 'Example IT', groups: ['helpdesk'] },
  'visitor@elsewhere.example': { name: 'Someone Else', org: 'Elsewhere' },
};

export interface DevIdentityProviderOptions {
  redirectUris: string[];
  host?: string;
  port?: number;
  /** Shorter in tests, to reach the refresh. */
  accessTokenTtlS?: number;
  log?: Logger;
}

export interface DevIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Live: deleting a user makes the provider refuse their next refresh (the user is gone). */
  users: Map<string, DevUser>;
  close(): Promise<void>;
}

export const isLoopbackAddress = (host: string) => host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/**
 * A real OpenID provider (oidc-provider) for trying sign-in on one machine, with the test users above. It listens on
 * loopback only and refuses any other address: its login page accepts any password.
 */
export async function startDevIdentityProvider(o: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  const host = o.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new Error(`the dev identity provider listens on loopback only, not ${host}`);
  const users = new Map(Object.entries(DEV_USERS));
  const clientId = 'peerdesk-dev';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'dev', alg: 'RS256', use: 'sig' };

  // The issuer URL names the port, so the server listens first and the provider is made for its address.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // Loaded only when asked for: on import oidc-provider writes warnings to stderr (Node 20 is not its LTS, its
  // development adapter), which would otherwise reach every use of the signaling CLI, `audit verify` included.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: o.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'org', 'groups'] },
    // The claims asked for by scope go into the ID token itself (the relying party reads only the ID token).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    // A refresh token without the offline_access ceremony, so the refresh path runs in the dev flow too.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: false,
    ttl: { AccessToken: o.accessTokenTtlS ?? 600, IdToken: 600, RefreshToken: 8 * 3600, Grant: 8 * 3600 },
    findAccount: async (_ctx, sub): Promise<Account | undefined> => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: sub, email_verified: true, name: user.name, org: user.org, groups: user.groups ?? [] }),
      };
    },
  });
  provider.on('server_error', (_ctx, err) => o.log?.error({ err }, 'dev identity provider error'));
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    users,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
