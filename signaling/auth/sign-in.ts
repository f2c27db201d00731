import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import { noAuditSink, type AuditSink } from '../audit/audit-sink';
import type { SignalingConfig } from '../config';
import type { AppLoginQuery } from '../../protocol/app-sign-in';
import { RedisAppCodes } from './app-codes';
import { AppSignIn, parseAppLogin } from './app-sign-in';
import { redirect, safeReturnPath, sendJson, sendPage } from './auth-pages';
import { startDevIdentityProvider, type DevIdentityProvider } from './dev-identity-provider';
import { SignInPolicy } from './policy';
import { SignInAudit } from './sign-in-audit';
import { RelyingParty, refusalReason, type PendingLogin } from './relying-party';
import { CookieSealer, clearCookie, readCookie, serializeCookie } from './sealed-cookie';
import { SignInSessions, type CheckedSession } from './sign-in-sessions';
import { technicianFromClaims, verifiedIdentity } from './technician-identity';

const LOGIN = 'login';
const LOGIN_COOKIE = 'peerdesk-login';
/** Time to get through the provider's pages. */
const LOGIN_TTL_S = 10 * 60;

interface Enabled {
  rp: RelyingParty;
  sessions: SignInSessions;
  issuerHost: string;
}

/**
 * Technician sign-in on the signaling server: the /auth/* routes, and the verified identity of a request (a page's
 * /auth/me or a WebSocket upgrade). Off (every request unsigned) unless an issuer or the dev provider is configured.
 */
export class SignIn {
  private enabled?: Enabled;
  private devIdp?: DevIdentityProvider;
  private secure = false;
  private readonly sealer: CookieSealer;
  private readonly policy: SignInPolicy;
  /** The desktop app's sign-in through the system browser (app-sign-in.ts). */
  private readonly app: AppSignIn;
  private readonly upgradeCookies = new WeakMap<IncomingMessage, string[]>();
  private readonly audit: SignInAudit;

  constructor(
    private readonly config: SignalingConfig,
    private readonly log: Logger,
    /** The origins allowed to POST /auth/logout: the server's own (and the desktop app's). */
    private readonly ownOrigins: () => Set<string>,
    /** The server's audit trail: sign-ins, sign-outs, refusals and revocations are recorded there. */
    audit: AuditSink = noAuditSink,
    /** The nodes' shared Redis, when there is one: the desktop app's one-time codes live there, for every node. */
    redis?: Redis,
  ) {
    this.audit = new SignInAudit(audit, config.trustedProxies);
    // Refused before the server listens, not after.
    if (config.oidcIssuer && !config.oidcClientId && !config.devIdp) throw new Error('--oidc-issuer needs --oidc-client-id');
    this.sealer = new CookieSealer(config.sessionSecret);
    this.policy = new SignInPolicy(config.oidcAllowed, config.oidcAdmins);
    this.app = new AppSignIn(this.sealer, log, redis && new RedisAppCodes(redis));
  }

  get isEnabled(): boolean {
    return Boolean(this.enabled);
  }

  /** Called once the server listens: the redirect URI needs its address (the dev provider registers it). */
  async start(baseUrl: string, tls: boolean): Promise<void> {
    const c = this.config;
    if (!c.oidcIssuer && !c.devIdp) return;
    this.secure = tls;
    const redirectUri = `${baseUrl.replace(/\/$/, '')}/auth/callback`;
    let { oidcIssuer: issuer, oidcClientId: clientId, oidcClientSecret: clientSecret } = c;
    if (c.devIdp) {
      this.devIdp = await startDevIdentityProvider({ redirectUris: [redirectUri], log: this.log });
      ({ issuer, clientId, clientSecret } = this.devIdp);
      this.log.warn({ issuer }, 'dev identity provider running: sign in as tech@example.com with any password (never in production)');
    }
    if (!clientId) throw new Error('--oidc-issuer needs --oidc-client-id');
    if (this.sealer.ephemeral)
      this.log.warn('no --session-secret: sign-ins are sealed with a per-process key and end when the server restarts');
    if (this.policy.open) this.log.warn('no --oidc-allowed: everyone the identity provider signs in is accepted as a technician');
    const rp = new RelyingParty({ issuer: issuer!, clientId, clientSecret, redirectUri, scopes: c.oidcScopes });
    const issuerHost = new URL(issuer!).host;
    this.enabled = {
      rp,
      issuerHost,
      sessions: new SignInSessions(this.sealer, rp, issuerHost, tls, this.log, (req, who) => this.audit.record(req, 'revoked', who)),
    };
    log(this.log, issuer!, redirectUri);
  }

  async close(): Promise<void> {
    await this.devIdp?.close();
  }

  /** The signed-in technician of an HTTP request (none when sign-in is off); send `setCookie` with the answer. */
  async sessionOf(req: IncomingMessage): Promise<CheckedSession> {
    return this.enabled ? this.enabled.sessions.check(req) : { setCookie: [] };
  }

  /** The verified identity of a WebSocket upgrade; a refreshed or cleared cookie goes out with the 101 answer. */
  async identifyUpgrade(req: IncomingMessage): Promise<VerifiedIdentity | undefined> {
    if (!this.enabled) return undefined;
    try {
      // The desktop app sends its credential; a browser, its cookie.
      if (AppSignIn.carriesCredential(req)) return await this.app.identify(req, this.enabled.sessions);
      const { session, setCookie } = await this.enabled.sessions.check(req);
      if (setCookie.length) this.upgradeCookies.set(req, setCookie);
      return session && verifiedIdentity(session);
    } catch (err) {
      this.log.error({ err }, 'sign-in check failed');
      return undefined;
    }
  }

  /** ws's 'headers' event: adds the Set-Cookie `identifyUpgrade` left for this request. */
  upgradeHeaders(headers: string[], req: IncomingMessage): void {
    for (const c of this.upgradeCookies.get(req) ?? []) headers.push(`Set-Cookie: ${c}`);
  }

  /** Serves /auth/*; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://peerdesk.invalid');
    if (!url.pathname.startsWith('/auth/')) return false;
    const route = `${req.method} ${url.pathname}`;
    const done = (p: Promise<void>) =>
      void p.catch((err: unknown) => {
        this.log.error({ err, route }, 'sign-in route failed');
        if (!res.headersSent) sendPage(res, 500, 'Sign-in failed', 'Something went wrong on the server. Try again.');
      });
    if (route === 'GET /auth/me') done(this.me(req, res));
    else if (!this.enabled) sendPage(res, 404, 'Sign-in is off', 'This PeerDesk server has no identity provider configured.');
    else if (route === 'GET /auth/login') done(this.login(this.enabled, url, res));
    else if (route === 'GET /auth/app/login') done(this.appLogin(this.enabled, url, res));
    else if (route === 'POST /auth/app/token') done(this.app.token(req, res));
    else if (route === 'GET /auth/app/me') done(this.app.me(req, res, this.enabled.sessions));
    else if (route === 'GET /auth/callback') done(this.callback(this.enabled, req, url, res));
    else if (route === 'POST /auth/logout') done(this.logout(this.enabled, req, res));
    else sendPage(res, 404, 'Not found', 'No such page.');
    return true;
  }

  private async me(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.enabled) return sendJson(res, 200, { enabled: false, signedIn: false });
    const { session, setCookie } = await this.enabled.sessions.check(req);
    const body = session
      ? {
          enabled: true,
          signedIn: true,
          name: session.name,
          email: session.email,
          org: session.org ?? null,
          issuer: session.issuer,
          admin: session.admin,
        }
      : { enabled: true, signedIn: false, issuer: this.enabled.issuerHost };
    sendJson(res, 200, { ...body, requireSignIn: this.config.requireSignIn }, setCookie);
  }

  /** The desktop app's sign-in: the same flow, ending at the app's loopback address (refused unless it is one). */
  private async appLogin(enabled: Enabled, url: URL, res: ServerResponse): Promise<void> {
    const parsed = parseAppLogin(url);
    if (!parsed.ok) return sendPage(res, 400, 'Sign-in refused', `This sign-in link is not from the PeerDesk app (${parsed.why}).`);
    return this.login(enabled, url, res, parsed.app);
  }

  private async login({ rp }: Enabled, url: URL, res: ServerResponse, app?: AppLoginQuery): Promise<void> {
    let started;
    try {
      started = await rp.authorizationUrl();
    } catch (err) {
      this.log.error({ err }, 'identity provider discovery failed');
      return sendPage(res, 502, 'Sign-in unavailable', 'The identity provider could not be reached. Try again in a moment.');
    }
    const ret = safeReturnPath(url.searchParams.get('return'));
    const sealed = await this.sealer.seal(
      { ...started.pending, ret, ...(app ? { app } : {}) },
      LOGIN,
      Math.floor(Date.now() / 1000) + LOGIN_TTL_S,
    );
    // State, nonce and the PKCE verifier wait in a sealed cookie that only the callback path receives.
    redirect(res, started.url.href, [serializeCookie(LOGIN_COOKIE, sealed, this.loginCookieOptions(LOGIN_TTL_S))]);
  }

  private async callback({ rp, sessions, issuerHost }: Enabled, req: IncomingMessage, url: URL, res: ServerResponse) {
    const clear = clearCookie(LOGIN_COOKIE, this.loginCookieOptions(0));
    const pending = await this.sealer.open<PendingLogin & { ret: string; app?: AppLoginQuery }>(readCookie(req, LOGIN_COOKIE), LOGIN);
    const refused = (reason: string, who?: Parameters<typeof verifiedIdentity>[0]) =>
      this.audit.record(req, 'refused', who && verifiedIdentity(who), reason);
    if (!pending) {
      refused('the sign-in expired or was started elsewhere');
      return sendPage(res, 400, 'Sign-in expired', 'The sign-in took too long or was started elsewhere. Start again.', [clear]);
    }
    let result;
    try {
      result = await rp.finish(url.search, pending);
    } catch (err) {
      this.log.warn({ err }, 'sign-in refused');
      const why = refusalReason(err);
      refused(why);
      return sendPage(res, 400, 'Sign-in failed', `The identity provider's answer was not accepted (${why}).`, [clear]);
    }
    const who = technicianFromClaims(result.claims, issuerHost, this.config.oidcOrgName);
    if (!who) {
      refused('the identity provider sent no email address');
      return sendPage(res, 403, 'Sign-in refused', 'Your identity provider did not send an email address.', [clear]);
    }
    if (!this.policy.isAllowed(who)) {
      this.log.info({ email: who.email }, 'sign-in refused by policy');
      refused('not on the list of technicians', who);
      const text = `${who.email} is not on this server's list of technicians. Ask your PeerDesk administrator to add you.`;
      return sendPage(res, 403, 'Not a technician here', text, [clear]);
    }
    const { sub, name, email, org, issuer } = who;
    const session = { sub, name, email, ...(org ? { org } : {}), issuer, admin: this.policy.isAdmin(who) };
    const signedIn = { ...session, rt: result.refreshToken, ax: result.accessExpiresAt };
    // Started by the desktop app: the browser goes back to it with a one-time code; the browser itself stays signed out.
    if (pending.app) return redirect(res, await this.app.redirectFor(pending.app, signedIn), [clear]);
    const cookie = await sessions.create(signedIn);
    this.log.info({ email, admin: session.admin }, 'technician signed in');
    this.audit.record(req, 'signed-in', verifiedIdentity(session));
    redirect(res, pending.ret, [clear, cookie]);
  }

  /** CSRF: only a request from our own page (its Origin) can sign out; a form on another site cannot. */
  private async logout({ sessions }: Enabled, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (!origin || !this.ownOrigins().has(origin) || req.headers['sec-fetch-site'] === 'cross-site')
      return sendJson(res, 403, { error: 'cross-origin sign-out refused' });
    const who = await sessions.peek(req);
    if (who) this.audit.record(req, 'signed-out', verifiedIdentity(who));
    sendJson(res, 200, { signedIn: false }, [sessions.clear()]);
  }

  private loginCookieOptions(maxAgeS: number) {
    return { path: '/auth/callback', secure: this.secure, maxAgeS };
  }
}

function log(logger: Logger, issuer: string, redirectUri: string) {
  logger.info({ issuer, redirectUri }, 'technician sign-in enabled');
}
