import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { CookieSealer, clearCookie, readCookie, serializeCookie } from './sealed-cookie';
import { RelyingParty, SignInRevoked } from './relying-party';
import { verifiedIdentity, type SignedInSession } from './technician-identity';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';

/** How long a sign-in lasts, whatever the provider's tokens say. */
export const SIGN_IN_LIFETIME_S = 8 * 60 * 60;
const SESSION = 'session';

export interface CheckedSession {
  session?: SignedInSession;
  /** Set-Cookie values to send with the answer (a refreshed or a cleared cookie). */
  setCookie: string[];
}

/**
 * Signed-in state lives in one sealed HttpOnly cookie (no server-side store, so any node can read it). Each check
 * after the access token expired refreshes it at the provider; when the provider refuses, the sign-in is over.
 */
export class SignInSessions {
  readonly cookieName: string;

  constructor(
    private readonly sealer: CookieSealer,
    private readonly rp: RelyingParty,
    private readonly issuerHost: string,
    private readonly secure: boolean,
    private readonly log: Logger,
    /** The provider ended this sign-in (for the audit trail). */
    private readonly onRevoked: (req: IncomingMessage, who: VerifiedIdentity) => void = () => undefined,
  ) {
    // __Host-: the browser keeps it to this exact origin (Secure, Path=/, no Domain) — only possible under TLS.
    this.cookieName = secure ? '__Host-peerdesk-session' : 'peerdesk-session';
  }

  /** A new session's cookie, valid for `SIGN_IN_LIFETIME_S`. */
  async create(session: SignedInSession): Promise<string> {
    return this.cookie(session, Math.floor(Date.now() / 1000) + SIGN_IN_LIFETIME_S);
  }

  clear(): string {
    return clearCookie(this.cookieName, { path: '/', secure: this.secure });
  }

  /** Who the cookie says is signed in, without refreshing anything (sign-out names who left). */
  async peek(req: IncomingMessage): Promise<SignedInSession | undefined> {
    const payload = await this.sealer.open<SignedInSession>(readCookie(req, this.cookieName), SESSION);
    return payload && payload.issuer === this.issuerHost ? pick(payload) : undefined;
  }

  async check(req: IncomingMessage): Promise<CheckedSession> {
    const sealed = readCookie(req, this.cookieName);
    const checked = await this.checkSealed(sealed, SESSION, req);
    if (checked.ended) return { setCookie: sealed ? [this.clear()] : [] };
    const { session, renewed } = checked;
    return { session, setCookie: renewed ? [this.serialize(renewed.sealed, renewed.expiresAtS)] : [] };
  }

  /**
   * A sealed sign-in for `purpose` (the browser's cookie, or the desktop app's credential): the session, refreshed at
   * the provider when its access token expired (`renewed` then holds the new sealed value, same expiry), or `ended`
   * (tampered, expired, another provider's, or revoked by the provider).
   */
  async checkSealed(sealed: string | undefined, purpose: string, req?: IncomingMessage): Promise<SealedCheck> {
    const payload = await this.sealer.open<SignedInSession>(sealed, purpose);
    // A sign-in from another provider (the configuration changed) is not a sign-in here.
    if (!payload || payload.issuer !== this.issuerHost) return { ended: true };
    const session = pick(payload);
    if (!session.rt || session.ax === undefined || Date.now() < session.ax) return { session, expiresAtS: payload.exp! };
    try {
      const fresh = await this.refreshOnce(session.rt, session.ax);
      const renewed = { ...session, rt: fresh.refreshToken, ax: fresh.accessExpiresAt };
      const resealed = await this.sealer.seal({ ...renewed }, purpose, payload.exp!);
      return { session: renewed, expiresAtS: payload.exp!, renewed: { sealed: resealed, expiresAtS: payload.exp! } };
    } catch (err) {
      if (err instanceof SignInRevoked) {
        this.log.info({ email: session.email, why: err.message }, 'sign-in revoked by the identity provider');
        if (req) this.onRevoked(req, verifiedIdentity(session));
        return { ended: true };
      }
      // The provider is unreachable: not its word that the user is gone. Try again at the next check.
      this.log.warn({ err }, 'token refresh failed; keeping the sign-in until the provider answers');
      return { session, expiresAtS: payload.exp! };
    }
  }

  // The page's /auth/me and its WebSocket often check at the same moment: one refresh serves both (a second use of a
  // rotated refresh token would look like theft to the provider and end the sign-in). Keyed by the token and the
  // expiry it replaces, so a later expiry of the same (unrotated) token refreshes again.
  private readonly refreshing = new Map<string, ReturnType<RelyingParty['refresh']>>();
  private refreshOnce(rt: string, ax: number) {
    const key = `${ax}:${rt}`;
    let p = this.refreshing.get(key);
    if (!p) {
      p = this.rp.refresh(rt).finally(() => setTimeout(() => this.refreshing.delete(key), 10_000).unref());
      this.refreshing.set(key, p);
    }
    return p;
  }

  private async cookie(session: SignedInSession, expiresAtS: number): Promise<string> {
    return this.serialize(await this.sealer.seal({ ...session }, SESSION, expiresAtS), expiresAtS);
  }

  private serialize(sealed: string, expiresAtS: number): string {
    return serializeCookie(this.cookieName, sealed, { path: '/', secure: this.secure, maxAgeS: expiresAtS - Date.now() / 1000 });
  }
}

export type SealedCheck =
  | { ended: true; session?: undefined; renewed?: undefined }
  | { ended?: false; session: SignedInSession; expiresAtS: number; renewed?: { sealed: string; expiresAtS: number } };

function pick(p: SignedInSession): SignedInSession {
  const { sub, name, email, org, issuer, admin, rt, ax } = p;
  return { sub, name, email, ...(org ? { org } : {}), issuer, admin: admin === true, ...(rt ? { rt } : {}), ...(ax ? { ax } : {}) };
}
