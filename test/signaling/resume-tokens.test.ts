import { describe, expect, it } from 'vitest';
import { generateResumeToken, hashResumeToken, tokenMatches } from '../../signaling/resume-tokens';

/** The token rules alone, without a server: fast enough for every mutant `npm run mutation` makes. */
describe('resume tokens (unit)', () => {
  it('are 256 random bits as 43 url-safe characters, a new one each time', () => {
    const tokens = new Set(Array.from({ length: 20 }, generateResumeToken));
    expect(tokens.size).toBe(20);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are stored as their SHA-256 in base64url, never as themselves', () => {
    expect(hashResumeToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    const token = generateResumeToken();
    expect(hashResumeToken(token)).not.toBe(token);
  });

  it('match only the hash of the very same token', () => {
    const token = generateResumeToken();
    expect(tokenMatches(token, hashResumeToken(token))).toBe(true);
    expect(tokenMatches(generateResumeToken(), hashResumeToken(token))).toBe(false);
    expect(tokenMatches(token, token)).toBe(false);
  });

  it('never match a missing, empty or short hash (and never throw on one)', () => {
    const token = generateResumeToken();
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, hashResumeToken(token).slice(0, 20))).toBe(false);
  });
});
