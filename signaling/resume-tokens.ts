import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Resume tokens: 256 random bits handed to one side of one session. The store keeps only their SHA-256, so a copy
 * of the store (a Redis dump) cannot be used to take over a session.
 */
export const generateResumeToken = () => randomBytes(32).toString('base64url');

export const hashResumeToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function tokenMatches(token: string, hash: string | undefined): boolean {
  if (!hash) return false;
  const a = Buffer.from(hashResumeToken(token));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
