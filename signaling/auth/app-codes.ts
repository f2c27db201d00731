import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CODE_TTL_MS, type AppLoginQuery, type AppTokenRequest } from '../../protocol/app-sign-in';

/** What a one-time code stands for: the app's request at login, and the sign-in it ended in. */
export interface CodeGrant<T> {
  app: AppLoginQuery;
  value: T;
}

export type Redeemed<T> = { ok: true; value: T } | { ok: false; why: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * The desktop app's one-time codes (RFC 8252 with PKCE, RFC 7636): issued at the callback, redeemed once by the app
 * with the verifier whose S256 the app sent at login. A code is gone at its first redemption — right or wrong — and
 * after `APP_CODE_TTL_MS`; only its hash is kept, so a memory dump yields no usable code.
 *
 * In this process's memory: behind several nodes the app's exchange must reach the node that served the callback
 * (the redirect and the exchange follow each other within seconds; sticky routing, or one node, covers it).
 */
export class AppCodes<T> {
  private readonly grants = new Map<string, CodeGrant<T> & { expiresAt: number }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly ttlMs = APP_CODE_TTL_MS,
  ) {}

  issue(app: AppLoginQuery, value: T): string {
    this.sweep();
    const code = randomBytes(32).toString('base64url');
    this.grants.set(sha256(code).toString('hex'), { app, value, expiresAt: this.now() + this.ttlMs });
    return code;
  }

  redeem(req: AppTokenRequest): Redeemed<T> {
    const key = sha256(req.code).toString('hex');
    const grant = this.grants.get(key);
    // Single use: whatever the outcome, the code cannot be tried again (a guessed verifier gets one attempt).
    this.grants.delete(key);
    if (!grant) return { ok: false, why: 'unknown or already used code' };
    if (this.now() >= grant.expiresAt) return { ok: false, why: 'code expired' };
    if (grant.app.state !== req.state) return { ok: false, why: 'state does not match' };
    if (grant.app.redirect_uri !== req.redirect_uri) return { ok: false, why: 'redirect_uri does not match' };
    const challenge = Buffer.from(grant.app.code_challenge);
    if (!sameBytes(Buffer.from(sha256(req.code_verifier).toString('base64url')), challenge))
      return { ok: false, why: 'code_verifier does not match the challenge' };
    return { ok: true, value: grant.value };
  }

  get size(): number {
    return this.grants.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, g] of this.grants) if (now >= g.expiresAt) this.grants.delete(key);
  }
}
