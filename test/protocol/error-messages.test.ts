import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ClientErrorCode,
  ClipboardErrorCode,
  FileErrorCode,
  InputErrorCode,
  RecordingErrorCode,
  SignalingErrorCode,
} from '../../protocol/error-codes';
import { BAD_STATE, ERROR_MESSAGES, messageFor } from '../../protocol/error-messages';
import { PROTOCOL_VERSION } from '../../protocol/limits';
import { joinErrorText } from '../../renderer/viewer/viewer-messages';
import { parseClientFrame } from '../../signaling/frame-parser';

const ALL_CODES = [SignalingErrorCode, InputErrorCode, ClipboardErrorCode, FileErrorCode, ClientErrorCode, RecordingErrorCode].flatMap(
  (t) => Object.values(t),
);

/** Source files of a folder, recursively (what a user or client can see is said in these). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('one code → message table', () => {
  it('every code has a message of its own, and the table has nothing else', () => {
    for (const code of ALL_CODES) expect(ERROR_MESSAGES[code], code).toMatch(/\S.{8,}/);
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ALL_CODES].sort());
    for (const why of Object.values(BAD_STATE)) expect(why).toMatch(/\S.{8,}/);
  });

  it('a code this build does not know still gets a sentence naming it', () => {
    expect(messageFor('SIG_ERR_FROM_THE_FUTURE')).toBe('The server refused the request (SIG_ERR_FROM_THE_FUTURE).');
    expect(messageFor('toString')).toMatch(/toString/);
    expect(messageFor(SignalingErrorCode.QueueFull)).toBe(ERROR_MESSAGES[SignalingErrorCode.QueueFull]);
  });

  it('the server refuses with the table’s message', () => {
    const refused = parseClientFrame(Buffer.from('not json'), false);
    expect(refused).toEqual({ ok: false, code: SignalingErrorCode.BadJson, message: ERROR_MESSAGES[SignalingErrorCode.BadJson] });
  });

  it('the viewer page shows the table’s message for a code, never the server’s words', () => {
    const error = (code: string, message = 'words from a server', retryAfterMs?: number) =>
      ({ type: 'error', code, message, ...(retryAfterMs ? { retryAfterMs } : {}) }) as Parameters<typeof joinErrorText>[0];
    for (const code of [SignalingErrorCode.JoinFailed, SignalingErrorCode.SessionBusy, SignalingErrorCode.SignInRequired])
      expect(joinErrorText(error(code))).toBe(ERROR_MESSAGES[code]);
    expect(joinErrorText(error(SignalingErrorCode.JoinBackoff, 'x', 4000))).toBe(
      `${ERROR_MESSAGES[SignalingErrorCode.JoinBackoff]} Try again in 4 seconds.`,
    );
    expect(joinErrorText(error(SignalingErrorCode.BadMessage, 'viewer.join: name looks verified'))).toBe(
      ERROR_MESSAGES[ClientErrorCode.NameRefused],
    );
    expect(joinErrorText(error(SignalingErrorCode.BadMessage, 'viewer.join: pin too short'))).toBe(ERROR_MESSAGES[ClientErrorCode.BadForm]);
  });

  it('no refusal in signaling/, main/ or renderer/ spells its own message, and no message carries v: 1 by hand', () => {
    const files = ['signaling', 'main', 'renderer'].flatMap(sources);
    const bare = /\b(reject|fail)\(\s*\w*,?\s*\w*ErrorCode\.\w+,\s*['`"]/;
    const literalVersion = /\bv: ?1\b/;
    for (const file of files) {
      // The one exception: a schema refusal names the field that failed (the validator's words, not a reason).
      const text = readFileSync(file, 'utf8').replace(/fail\(SignalingErrorCode\.BadMessage, `\$\{type\}: .*/, '');
      expect(bare.test(text), `${file} refuses with its own words`).toBe(false);
      expect(literalVersion.test(text), `${file} writes the protocol version by hand`).toBe(false);
    }
    expect(PROTOCOL_VERSION).toBe(1);
  });
});
