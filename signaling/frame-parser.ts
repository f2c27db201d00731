import type { RawData } from 'ws';
import { SignalingErrorCode } from '../protocol/error-codes';
import { MAX_SIGNALING_FRAME_BYTES } from '../protocol/limits';
import { type ClientMessage, clientMessageSchema, clientMessageTypes } from '../protocol/signaling-messages';

export type ParsedFrame = { ok: true; message: ClientMessage; text: string } | { ok: false; code: SignalingErrorCode; message: string };

const fail = (code: SignalingErrorCode, message: string): ParsedFrame => ({ ok: false, code, message });

/** Raw WebSocket frame → validated client message, or a coded reason it was refused. Never throws. */
export function parseClientFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return fail(SignalingErrorCode.BadMessage, 'binary frames are not accepted');
  const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
  if (size > MAX_SIGNALING_FRAME_BYTES) return fail(SignalingErrorCode.TooLarge, `frame exceeds ${MAX_SIGNALING_FRAME_BYTES} bytes`);
  let json: unknown;
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  try {
    json = JSON.parse(text);
  } catch {
    return fail(SignalingErrorCode.BadJson, 'frame is not valid JSON');
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(clientMessageTypes as string[]).includes(type)) {
    return fail(SignalingErrorCode.UnknownType, `unknown message type ${JSON.stringify(String(type)).slice(0, 40)}`);
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(SignalingErrorCode.BadMessage, `${type}: ${issue?.path.join('.') || 'message'} ${issue?.message ?? 'is invalid'}`);
  }
  return { ok: true, message: parsed.data, text };
}
