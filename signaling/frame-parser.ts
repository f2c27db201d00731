import type { RawData } from 'ws';
import { SignalingErrorCode } from '../protocol/error-codes';
import { ERROR_MESSAGES } from '../protocol/error-messages';
import { MAX_SIGNALING_FRAME_BYTES } from '../protocol/limits';
import { type ClientMessage, clientMessageSchema, clientMessageTypes } from '../protocol/signaling-messages';

/** `bytes` is the frame as received (UTF-8 JSON), so a relay can forward it without re-encoding. */
export type ParsedFrame = { ok: true; message: ClientMessage; bytes: Buffer } | { ok: false; code: SignalingErrorCode; message: string };

/** The code's own message from the table; a schema refusal says which field failed instead (the client's developer needs that). */

const fail = (code: SignalingErrorCode, message = ERROR_MESSAGES[code]): ParsedFrame => ({ ok: false, code, message });

/** Raw WebSocket frame → validated client message, or a coded reason it was refused. Never throws. */
export function parseClientFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return fail(SignalingErrorCode.BadMessage);
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (bytes.byteLength > MAX_SIGNALING_FRAME_BYTES) return fail(SignalingErrorCode.TooLarge);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail(SignalingErrorCode.BadJson);
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(clientMessageTypes as string[]).includes(type)) {
    return fail(SignalingErrorCode.UnknownType);
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(SignalingErrorCode.BadMessage, `${type}: ${issue?.path.join('.') || 'message'} ${issue?.message ?? 'is invalid'}`);
  }
  return { ok: true, message: parsed.data, bytes };
}
