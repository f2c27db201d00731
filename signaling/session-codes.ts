import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { SESSION_CODE_DIGITS, SESSION_PIN_DIGITS } from '../protocol/limits';

const randomDigits = (n: number) => String(randomInt(0, 10 ** n)).padStart(n, '0');

/**
 * Session codes and PINs come from the CSPRNG behind `crypto.randomInt`. `ending`: the code's last digit, when the
 * host's socket was routed by it (codeEndingOf) — so a proxy that routes by the code's last digit sends the
 * viewer, and every reconnect, to the node that holds the host (deploy/nginx).
 */
export const generateSessionCode = (ending?: string) =>
  ending ? randomDigits(SESSION_CODE_DIGITS - 1) + ending : randomDigits(SESSION_CODE_DIGITS);

/** The digit a WebSocket's URL was routed by: the last digit of its `s` query parameter (a code, or one random digit). */
export const codeEndingOf = (url: string | undefined): string | undefined => /[?&]s=[0-9]*([0-9])(?:&|$)/.exec(url ?? '')?.[1];
export const generatePin = () => randomDigits(SESSION_PIN_DIGITS);
export const generateRequestId = () => randomBytes(12).toString('base64url');
/** The label in a TURN username: random per admission, so coturn's logs hold no session code. */
export const generateTurnLabel = () => randomBytes(9).toString('base64url');

export function pinsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
