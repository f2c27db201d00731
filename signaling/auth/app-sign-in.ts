import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type AppError, type AppLoginQuery, type AppSession, appLoginQuerySchema, appTokenRequestSchema } from '../../protocol/app-sign-in';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import { sendJson } from './auth-pages';
import { type AppCodes, MemoryAppCodes } from './app-codes';
import type { CookieSealer } from './sealed-cookie';
import { SIGN_IN_LIFETIME_S, type SignInSessions } from './sign-in-sessions';
import { type SignedInSession, verifiedIdentity } from './technician-identity';

/** The sealed credential's purpose (its JWE audience): never accepted as a cookie, nor a cookie as one. */
const APP = 'app-credential';
const MAX_BODY_BYTES = 4096;

/** `GET /auth/app/login`'s query, or why it is refused (a non-loopback redirect_uri, a missing challenge, …). */
export function parseAppLogin(url: URL): { ok: true; app: AppLoginQuery } | { ok: false; why: string } {
  const parsed = appLoginQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  return parsed.success ? { ok: true, app: parsed.data } : { ok: false, why: parsed.error.issues[0]?.message ?? 'invalid request' };
}

/**
 * The desktop app's side of sign-in (RFC 8252): after the normal OIDC flow in the system browser, the callback sends
 * the browser to the app's loopback address with a one-time code; the app redeems it with its PKCE verifier for a
 * sealed credential, which it sends as `Authorization: Bearer …` on its WebSocket upgrade and on /auth/app/me.
 * The credential is the browser cookie's twin (same fields, same refresh and revocation), under its own purpose.
 */
export class AppSignIn {
  private readonly codes: AppCodes<SignedInSession>;

  constructor(
    private readonly sealer: CookieSealer,
    private readonly log: Logger,
    /** Where one-time codes wait: this process's memory, or Redis shared by every node (app-codes.ts). */
    codes?: AppCodes<SignedInSession>,
  ) {
    this.codes = codes ?? new MemoryAppCodes();
  }

  /** The end of a sign-in started by the app: the loopback URL the browser goes to, with the code and the app's state. */
  async redirectFor(app: AppLoginQuery, session: SignedInSession): Promise<string> {
    const to = new URL(app.redirect_uri);
    to.searchParams.set('code', await this.codes.issue(app, session));
    to.searchParams.set('state', app.state);
    return to.href;
  }

  /** `POST /auth/app/token`: a code and its verifier → the credential (in the body; never in a URL). */
  async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return refuse(res, 400, { error: 'invalid_request', error_description: 'expected application/json' });
    const body = await readBody(req);
    const parsed = appTokenRequestSchema.safeParse(parseJson(body));
    if (!parsed.success) return refuse(res, 400, { error: 'invalid_request', error_description: 'malformed token request' });
    const redeemed = await this.codes.redeem(parsed.data);
    if (!redeemed.ok) {
      this.log.warn({ why: redeemed.why }, 'desktop sign-in code refused');
      return refuse(res, 400, { error: 'invalid_grant', error_description: redeemed.why });
    }
    const session = redeemed.value;
    const expiresAtS = Math.floor(Date.now() / 1000) + SIGN_IN_LIFETIME_S;
    const credential = await this.sealer.seal({ ...session }, APP, expiresAtS);
    this.log.info({ email: session.email }, 'technician signed in to the desktop app');
    sendJson(res, 200, answer(session, expiresAtS, credential));
  }

  /** `GET /auth/app/me` with the credential: who it names (refreshed at the provider when due), or 401. */
  async me(req: IncomingMessage, res: ServerResponse, sessions: SignInSessions): Promise<void> {
    const checked = await sessions.checkSealed(bearer(req), APP, req);
    if (checked.ended) return refuse(res, 401, { error: 'invalid_token', error_description: 'signed out, expired or revoked' });
    sendJson(res, 200, answer(checked.session, checked.expiresAtS, checked.renewed?.sealed));
  }

  /** The verified identity of a WebSocket upgrade carrying the app's credential; undefined without one. */
  async identify(req: IncomingMessage, sessions: SignInSessions): Promise<VerifiedIdentity | undefined> {
    const sealed = bearer(req);
    if (!sealed) return undefined;
    const checked = await sessions.checkSealed(sealed, APP, req);
    return checked.ended ? undefined : verifiedIdentity(checked.session);
  }

  /** True when the request carries a credential (then the cookie is not consulted). */
  static carriesCredential(req: IncomingMessage): boolean {
    return bearer(req) !== undefined;
  }
}

function answer(s: SignedInSession, expiresAtS: number, credential?: string): AppSession {
  return {
    technician: { ...verifiedIdentity(s), admin: s.admin },
    ...(credential ? { credential } : {}),
    expiresAt: expiresAtS * 1000,
    ...(s.ax !== undefined && s.rt ? { refreshAt: s.ax } : {}),
  };
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function refuse(res: ServerResponse, status: number, body: AppError): void {
  sendJson(res, status, body);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The request body as text, or undefined past `MAX_BODY_BYTES` (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
