import { InputErrorCode } from '../../../protocol/error-codes';
import {
  type ButtonRelease,
  buttonReleaseSchema,
  type ControlMessage,
  controlMessageSchema,
  MAX_CONTROL_MESSAGE_BYTES,
} from '../../../protocol/control-messages';

/** What passed validation: a control message, or a button release whose position had to be clamped or left out. */
export type Incoming = ControlMessage | ButtonRelease;

export type Parsed = { ok: true; message: Incoming } | { ok: false; reason: InputErrorCode; detail?: string };

/** C0/C1 controls, and the invisible format characters that reorder or hide text (bidi overrides, isolates, marks). */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** Raw data-channel text → a control message, or the coded reason it is dropped whole. Never throws. */
export function parseControl(raw: unknown): Parsed {
  if (typeof raw !== 'string') return { ok: false, reason: InputErrorCode.BadMessage, detail: 'not text' };
  if (Buffer.byteLength(raw) > MAX_CONTROL_MESSAGE_BYTES) return { ok: false, reason: InputErrorCode.TooLarge };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: InputErrorCode.BadJson };
  }
  const result = controlMessageSchema.safeParse(json);
  if (!result.success) {
    // Never drop an "up": a press whose release is refused stays held on the host.
    const release = buttonReleaseSchema.safeParse(json);
    if (release.success) return { ok: true, message: release.data };
    return { ok: false, reason: InputErrorCode.BadMessage, detail: result.error.issues[0]?.message };
  }
  if (result.data.t === 'text' && FORBIDDEN_IN_TEXT.test(result.data.text))
    return { ok: false, reason: InputErrorCode.ControlChars, detail: 'Enter, Tab and other control keys travel as keys, not text' };
  return { ok: true, message: result.data };
}

/** Releases: never rate-limited, so a flood cannot keep a button or key held. */
export const isRelease = (m: Incoming) => ((m.t === 'button' || m.t === 'key') && !m.down) || m.t === 'release-all';
