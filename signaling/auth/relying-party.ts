import * as oidc from 'openid-client';

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** `<public URL>/auth/callback`, exactly as registered at the provider. */
  redirectUri: string;
  scopes: string;
}

/** What the login cookie keeps between the redirect to the provider and its answer. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

export interface SignInResult {
  claims: oidc.IDToken;
  refreshToken?: string;
  /** Epoch ms the access token expires (undefined: the provider did not say). */
  accessExpiresAt?: number;
}

/** The provider refused a refresh: the user or their grant is gone (signed out, disabled, deleted). */
export class SignInRevoked extends Error {}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * The OpenID Connect relying party, in the spec's own steps through openid-client: discovery, an authorization URL
 * with PKCE (S256), state and nonce, the code grant that validates the ID token (issuer, audience, expiry, nonce,
 * signature through the provider's JWKS), and refresh. Nothing about a token is checked by hand here.
 */
export class RelyingParty {
  private discovered?: Promise<oidc.Configuration>;

  constructor(readonly options: RelyingPartyOptions) {}

  /** Discovery runs on first use and again after a failure (the provider may be down when the server starts). */
  configuration(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.options;
    this.discovered ??= oidc
      .discovery(new URL(issuer), clientId, clientSecret, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), {
        // Plain http only for a provider on this machine (the dev provider, tests); anything else must be https.
        // The ID token's signature is checked against the provider's JWKS too (openid-client skips it by default for
        // tokens fetched over TLS from the token endpoint, OIDC Core 3.1.3.7); a token no key of theirs signed is refused.
        execute: [oidc.enableNonRepudiationChecks, ...(isLoopback(new URL(issuer).hostname) ? [oidc.allowInsecureRequests] : [])],
        timeout: 10,
      })
      .catch((err: unknown) => {
        this.discovered = undefined;
        throw err;
      });
    return this.discovered;
  }

  async authorizationUrl(): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: this.options.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** The provider's answer at `/auth/callback` (`query`: the request's search string) → validated ID token claims. */
  async finish(query: string, pending: PendingLogin): Promise<SignInResult> {
    const config = await this.configuration();
    const currentUrl = new URL(this.options.redirectUri);
    currentUrl.search = query;
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider sent no ID token');
    return { claims, ...tokenTimes(tokens) };
  }

  /** New tokens for a refresh token; `SignInRevoked` when the provider answers that the grant is no longer valid. */
  async refresh(refreshToken: string): Promise<Omit<SignInResult, 'claims'>> {
    const config = await this.configuration();
    try {
      const tokens = await oidc.refreshTokenGrant(config, refreshToken);
      const times = tokenTimes(tokens);
      // Providers that do not rotate refresh tokens send none back: the old one stays valid.
      return { ...times, refreshToken: times.refreshToken ?? refreshToken };
    } catch (err) {
      // An OAuth error answer (invalid_grant, unauthorized_client, …) is the provider's word; a network error is not.
      if (err instanceof oidc.ResponseBodyError) throw new SignInRevoked(`${err.error}: ${err.error_description ?? ''}`);
      throw err;
    }
  }
}

function tokenTimes(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
  const expiresIn = tokens.expiresIn();
  return {
    refreshToken: tokens.refresh_token,
    accessExpiresAt: expiresIn !== undefined ? Date.now() + expiresIn * 1000 : undefined,
  };
}

/** Why a sign-in was refused, for the page and the log: openid-client's message, with oauth4webapi's precise one under it. */
export function refusalReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error && err.cause.message !== err.message ? `${err.message}: ${err.cause.message}` : err.message;
}
