import { describe, expect, it } from 'vitest';
import {
  codeEndingOf,
  generatePin,
  generateRequestId,
  generateSessionCode,
  generateTurnLabel,
  pinsEqual,
} from '../../signaling/session-codes';

// Codes and PINs: their exact shape (the schemas refuse anything else), the routing digit, and the PIN comparison.
// Random draws are checked over many samples: one in ten codes starts with 0, so a missing pad cannot hide.

const many = <T>(draw: () => T, n = 2000) => Array.from({ length: n }, draw);

describe('session codes and PINs', () => {
  it('a code is always nine digits, leading zeros kept', () => {
    const codes = many(() => generateSessionCode());
    for (const code of codes) expect(code).toMatch(/^[0-9]{9}$/);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
  });

  it('a code for a routed socket ends in its digit and is still nine digits', () => {
    for (const code of many(() => generateSessionCode('7'), 500)) expect(code).toMatch(/^[0-9]{8}7$/);
  });

  it('a PIN is always six digits, leading zeros kept', () => {
    const pins = many(generatePin);
    for (const pin of pins) expect(pin).toMatch(/^[0-9]{6}$/);
    expect(pins.some((p) => p.startsWith('0'))).toBe(true);
  });

  it('request ids and TURN labels are URL-safe random strings of their length', () => {
    const ids = many(generateRequestId, 200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(200);
    for (const label of many(generateTurnLabel, 200)) expect(label).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});

describe('codeEndingOf: the digit a socket was routed by', () => {
  it.each([
    ['/ws?s=5', '5'],
    ['/ws?s=123456789', '9'],
    ['/ws?v=1&s=42&x=y', '2'],
    ['/ws?s=7&x=y', '7'],
  ])('%s → %s', (url, digit) => expect(codeEndingOf(url)).toBe(digit));

  it.each([['/ws'], ['/ws?s='], ['/ws?s=a'], ['/ws?s=5x'], ['/ws?ss=5'], ['/ws?xs=5'], [undefined]])('%s → none', (url) =>
    expect(codeEndingOf(url)).toBeUndefined(),
  );
});

describe('pinsEqual', () => {
  it('is true for the same PIN only', () => {
    expect(pinsEqual('012345', '012345')).toBe(true);
    expect(pinsEqual('012345', '012346')).toBe(false);
    expect(pinsEqual('012345', '12345')).toBe(false);
    expect(pinsEqual('012345', '0123456')).toBe(false);
  });

  it('compares bytes: strings of one length in characters but not in bytes never match (and never throw)', () => {
    expect(() => pinsEqual('12345é', '123456')).not.toThrow();
    expect(pinsEqual('12345é', '123456')).toBe(false);
  });
});
