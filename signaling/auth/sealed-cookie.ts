import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';

/**
 * Cookie values sealed with jose (a JWE, `dir` + A256GCM): encrypted and authenticated, so a page script never
 * reads what they hold (they are HttpOnly anyway) and a client cannot change a byte of them. Each purpose is the
 * JWE's audience, so a login-state cookie can never be replayed as a session cookie.
 */
export class CookieSealer {
  private readonly key: Uint8Array;
  /** True when no secret was configured: the key lives only as long as this process. */
  readonly ephemeral: boolean;

  constructor(secret?: string) {
    this.ephemeral = !secret;
    // Any length of secret → the 256-bit key A256GCM needs.
    this.key = secret ? createHash('sha256').update(`peerdesk-sign-in:${secret}`).digest() : randomBytes(32);
  }

  seal(payload: JWTPayload, purpose: string, expiresAtS: number): Promise<string> {
    return new EncryptJWT(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(purpose)
      .setIssuedAt()
      .setExpirationTime(expiresAtS)
      .encrypt(this.key);
  }

  /** The payload, or undefined for anything tampered, expired, sealed under another key or for another purpose. */
  async open<T>(value: string | undefined, purpose: string): Promise<(T & JWTPayload) | undefined> {
    if (!value) return undefined;
    try {
      const { payload } = await jwtDecrypt(value, this.key, { audience: purpose, keyManagementAlgorithms: ['dir'] });
      return payload as T & JWTPayload;
    } catch {
      return undefined;
    }
  }
}

export interface CookieOptions {
  path: string;
  maxAgeS: number;
  secure: boolean;
}

/** One Set-Cookie value: HttpOnly and SameSite=Lax always (Lax: the provider's redirect back is a top-level GET). */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [`${name}=${value}`, `Path=${o.path}`, `Max-Age=${Math.max(0, Math.floor(o.maxAgeS))}`, 'HttpOnly', 'SameSite=Lax']
    .concat(o.secure ? ['Secure'] : [])
    .join('; ');
}

export const clearCookie = (name: string, o: Omit<CookieOptions, 'maxAgeS'>) => serializeCookie(name, '', { ...o, maxAgeS: 0 });

/** A cookie's value from the request (sealed values are base64url and dots: no decoding needed). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
