/**
 * The technician's toolkit on its own data channel ("toolkit", negotiated, reliable and ordered), both
 * directions: chat today. JSON text; every message is validated on arrival and refused whole when it does not
 * fit. Nothing here touches the host's mouse or keyboard, so it works before and without control.
 */
import { z } from 'zod';

/** The negotiated id of the toolkit channel (the pointer channel is 7). */
export const TOOLKIT_CHANNEL_ID = 8;
/** Longest chat message, in characters. */
export const MAX_CHAT_CHARS = 2000;
/** Largest toolkit message the receiver parses, in bytes. */
export const MAX_TOOLKIT_MESSAGE_BYTES = 16 * 1024;
/** Messages per second a peer may send on the toolkit channel (burst: 20). */
export const TOOLKIT_MESSAGES_PER_SECOND = 5;

export const chatMessageSchema = z.strictObject({
  t: z.literal('chat'),
  text: z.string().trim().min(1).max(MAX_CHAT_CHARS),
  /** Sender's clock, epoch ms: shown as the time it was written. */
  sentAt: z.number().int().nonnegative(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const toolkitMessageSchema = z.discriminatedUnion('t', [chatMessageSchema]);
export type ToolkitMessage = z.infer<typeof toolkitMessageSchema>;
