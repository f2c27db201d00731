import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { APP_CODE_TTL_MS, type AppLoginQuery, type AppTokenRequest } from '../../protocol/app-sign-in';

/** What a one-time code stands for: the app's request at login, and the sign-in it ended in. */
export interface CodeGrant<T> {
  app: AppLoginQuery;
  value: T;
}

export type Redeemed<T> = { ok: true; value: T } | { ok: false; why: string };

/**
 * The desktop app's one-time codes (RFC 8252 with PKCE, RFC 7636): issued at the callback, redeemed once by the app
 * with the verifier whose S256 the app sent at login. A code is gone at its first redemption — right or wrong — and
 * after `APP_CODE_TTL_MS`; only its hash is kept, so a memory dump yields no usable code.
 */
export interface AppCodes<T> {
  issue(app: AppLoginQuery, value: T): Promise<string>;
  redeem(req: AppTokenRequest): Promise<Redeemed<T>>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const newCode = () => randomBytes(32).toString('base64url');
const UNKNOWN: Redeemed<never> = { ok: false, why: 'unknown or already used code' };

/** The checks of a redemption once its grant is taken (and so already spent). */
function checkGrant<T>(grant: CodeGrant<T> & { expiresAt: number }, req: AppTokenRequest, now: number): Redeemed<T> {
  if (now >= grant.expiresAt) return { ok: false, why: 'code expired' };
  if (grant.app.state !== req.state) return { ok: false, why: 'state does not match' };
  if (grant.app.redirect_uri !== req.redirect_uri) return { ok: false, why: 'redirect_uri does not match' };
  const challenge = Buffer.from(grant.app.code_challenge);
  if (!sameBytes(Buffer.from(sha256(req.code_verifier).toString('base64url')), challenge))
    return { ok: false, why: 'code_verifier does not match the challenge' };
  return { ok: true, value: grant.value };
}

/**
 * In this process's memory: one node, or nodes without Redis (then the app's exchange must reach the node that
 * served the callback; sticky routing covers it).
 */
export class MemoryAppCodes<T> implements AppCodes<T> {
  private readonly grants = new Map<string, CodeGrant<T> & { expiresAt: number }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly ttlMs = APP_CODE_TTL_MS,
  ) {}

  async issue(app: AppLoginQuery, value: T): Promise<string> {
    this.sweep();
    const code = newCode();
    this.grants.set(sha256(code).toString('hex'), { app, value, expiresAt: this.now() + this.ttlMs });
    return code;
  }

  async redeem(req: AppTokenRequest): Promise<Redeemed<T>> {
    const key = sha256(req.code).toString('hex');
    const grant = this.grants.get(key);
    // Single use: whatever the outcome, the code cannot be tried again (a guessed verifier gets one attempt).
    this.grants.delete(key);
    return grant ? checkGrant(grant, req, this.now()) : UNKNOWN;
  }

  get size(): number {
    return this.grants.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, g] of this.grants) if (now >= g.expiresAt) this.grants.delete(key);
  }
}

/** Where a code's grant lives in Redis: named by the code's hash, never by the code. */
export const appCodeKey = (code: string) => `peerdesk:app-code:${sha256(code).toString('hex')}`;

/**
 * Shared by every node on one Redis, so the browser's callback and the app's exchange may reach different nodes.
 * The grant (a refresh token among it) is stored encrypted under a key derived from the code, which Redis never
 * sees: what Redis holds opens nothing without the code. It expires with the code (PX), and GETDEL spends it
 * atomically: of two nodes redeeming one code at once, exactly one gets the grant.
 */
export class RedisAppCodes<T> implements AppCodes<T> {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs = APP_CODE_TTL_MS,
  ) {}

  async issue(app: AppLoginQuery, value: T): Promise<string> {
    const code = newCode();
    const grant: CodeGrant<T> & { expiresAt: number } = { app, value, expiresAt: Date.now() + this.ttlMs };
    await this.redis.set(appCodeKey(code), seal(code, JSON.stringify(grant)), 'PX', this.ttlMs);
    return code;
  }

  async redeem(req: AppTokenRequest): Promise<Redeemed<T>> {
    const sealed = await this.redis.getdel(appCodeKey(req.code));
    const text = sealed ? unseal(req.code, sealed) : undefined;
    if (!text) return UNKNOWN;
    return checkGrant(JSON.parse(text) as CodeGrant<T> & { expiresAt: number }, req, Date.now());
  }
}

/** AES-256-GCM under sha256("peerdesk-app-code:" ‖ code): a key no one derives without the code itself. */
const grantKey = (code: string) => createHash('sha256').update(`peerdesk-app-code:${code}`).digest();

function seal(code: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', grantKey(code), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(code: string, sealed: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', grantKey(code), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined; // tampered with in Redis
  }
}
