/**
 * The technician's toolkit on its own data channel ("toolkit", negotiated, reliable and ordered), both
 * directions: chat, and the control messages of file transfers (whose bytes travel on the "files" channel).
 * JSON text; every message is validated on arrival and refused whole when it does not fit. Nothing here touches
 * the host's mouse or keyboard, so it works before and without control.
 */
import * as z from 'zod';
import { endReasonSchema } from './signaling-messages';

/** The negotiated id of the toolkit channel (the pointer channel is 7). */
export const TOOLKIT_CHANNEL_ID = 8;
/** Longest chat message, in characters. */
export const MAX_CHAT_CHARS = 2000;
/** Largest clipboard text either side sends, in UTF-8 bytes (a data-channel message holds at most 256 KiB). */
export const MAX_CLIPBOARD_BYTES = 200 * 1024;
/** Largest toolkit message the receiver parses, in bytes (a clipboard message and its JSON). */
export const MAX_TOOLKIT_MESSAGE_BYTES = 240 * 1024;
/** Messages per second a peer may send on the toolkit channel (burst: 20). */
export const TOOLKIT_MESSAGES_PER_SECOND = 5;

export const chatMessageSchema = z.strictObject({
  t: z.literal('chat'),
  text: z.string().trim().min(1).max(MAX_CHAT_CHARS),
  /** Sender's clock, epoch ms: shown as the time it was written. */
  sentAt: z.number().int().nonnegative(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** The negotiated id of the file data channel (reliable, ordered): binary chunks only. */
export const FILES_CHANNEL_ID = 9;
/**
 * Each file chunk is a 4-byte transfer number (big-endian) followed by the data; the data's size is the sender's
 * (renderer/files/transfer-pace.ts, within the connection's max message size) and any size is accepted.
 */
export const FILE_CHUNK_HEADER_BYTES = 4;
/** The largest file a receiver accepts unless its settings say otherwise. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

/** The viewer's quality choice; the host applies it to its video sender without renegotiating. */
export const qualityModeSchema = z.enum(['sharp', 'smooth', 'low-bandwidth']);
export type QualityMode = z.infer<typeof qualityModeSchema>;

/** Transfer ids: chosen by the sender, unique per session. */
const transferId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const toolkitMessageSchema = z.discriminatedUnion('t', [
  chatMessageSchema,
  /** Host → viewer: whether the host turned clipboard sharing on for this session (off until it does). */
  z.strictObject({ t: z.literal('clipboard.policy'), enabled: z.boolean() }),
  /** Clipboard text, either way, only while the host has it on; text only in this version. */
  z.strictObject({
    t: z.literal('clipboard'),
    text: z
      .string()
      .min(1)
      .refine((s) => new TextEncoder().encode(s).length <= MAX_CLIPBOARD_BYTES, 'clipboard text too large'),
  }),
  /** Viewer → host: please encode for this. Host → viewer: applied (what the stats panel shows). */
  z.strictObject({ t: z.literal('quality.set'), mode: qualityModeSchema }),
  z.strictObject({ t: z.literal('quality.applied'), mode: qualityModeSchema }),
  /** The sender offers a file; nothing flows before the receiver's accept. `n` tags its chunks. */
  z.strictObject({
    t: z.literal('file.offer'),
    id: transferId,
    n: z.number().int().min(0).max(0xffffffff),
    // Raw as the sender's system named it: the receiver sanitizes before anything touches a disk.
    name: z.string().min(1).max(1024),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    mime: z.string().max(200),
  }),
  z.strictObject({ t: z.literal('file.accept'), id: transferId }),
  z.strictObject({ t: z.literal('file.decline'), id: transferId }),
  /** Either side stops a transfer; the receiver throws away what it has. */
  z.strictObject({ t: z.literal('file.cancel'), id: transferId }),
  /** The last chunk is sent: here is the SHA-256 of everything. */
  z.strictObject({ t: z.literal('file.done'), id: transferId, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /**
   * Host → viewer: the host's screens, when it shares a whole screen and has more than one (empty otherwise).
   * Names only, as the host's system gives them ("Screen 1"); no thumbnails — the viewer sees only what is shared.
   */
  z.strictObject({
    t: z.literal('screens'),
    list: z.array(z.strictObject({ id: z.string().max(64), name: z.string().max(128), current: z.boolean() })).max(16),
  }),
  /** Viewer → host: please share this screen instead. The host switches (which ends control) and sends `screens` again. */
  z.strictObject({ t: z.literal('screen.select'), id: z.string().max(64) }),
  /**
   * Is the peer link still alive? Asked when the other side's signaling drops (a crash looks like that first);
   * answered by the toolkit channel itself.
   */
  z.strictObject({ t: z.literal('ping'), n: z.number().int().nonnegative() }),
  z.strictObject({ t: z.literal('pong'), n: z.number().int().nonnegative() }),
  /**
   * Either side: the session is over (the host stopped, the technician left). Said on the peer link as well as to
   * the server, so it arrives at once even when the server is down or has forgotten the session.
   */
  z.strictObject({ t: z.literal('session.end'), reason: endReasonSchema.extract(['host-left', 'viewer-left', 'capture-failed']) }),
  /**
   * Either side, on connect and on every change: its own connection to the server (`online`, `reconnecting`, `lost`),
   * so the other side's note says what is true now rather than what the server last said.
   */
  z.strictObject({ t: z.literal('signaling.state'), status: z.enum(['online', 'reconnecting', 'lost']) }),
  /** The receiver's verdict: saved (hash matched) or not, and why. */
  z.strictObject({ t: z.literal('file.result'), id: transferId, ok: z.boolean(), reason: z.string().max(200).optional() }),
]);
export type ToolkitMessage = z.infer<typeof toolkitMessageSchema>;
