import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { SESSION_CODE_DIGITS, SESSION_PIN_DIGITS } from '../protocol/limits';

const randomDigits = (n: number) => String(randomInt(0, 10 ** n)).padStart(n, '0');

/** Session codes and PINs come from the CSPRNG behind `crypto.randomInt`. */
export const generateSessionCode = () => randomDigits(SESSION_CODE_DIGITS);
export const generatePin = () => randomDigits(SESSION_PIN_DIGITS);
export const generateRequestId = () => randomBytes(12).toString('base64url');
/** The label in a TURN username: random per admission, so coturn's logs hold no session code. */
export const generateTurnLabel = () => randomBytes(9).toString('base64url');

export function pinsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
