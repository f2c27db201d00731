/**
 * What a host or viewer page reports to the server's audit trail (`audit.report`): control, sources, files and
 * clipboard sends, which only the peers see. Kept apart from audit-events.ts so signaling-messages.ts can use it
 * without an import cycle; import it from audit-events.ts.
 */
import * as z from 'zod';
import { recordingAuditEventSchemas } from './recording-messages';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
/** File names as the sender gave them: bounded, stored as data, never interpreted. */
const fileName = z.string().min(1).max(1024);
const byteCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// ---- reported by a client (host or viewer page) ----
export const clientAuditEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('control'), action: z.enum(['requested', 'granted', 'denied', 'revoked']) }),
  /**
   * The host shares a screen or window (the first one after Allow, and every switch); the label is what the host's
   * picker showed; `requestedBy: viewer` when the technician asked for that screen.
   */
  z.strictObject({
    type: z.literal('source.switched'),
    kind: z.enum(['screen', 'window']).optional(),
    label: z.string().max(256).optional(),
    requestedBy: z.literal('viewer').optional(),
  }),
  /** The technician picked one of the host's screens (its place in the list the host sent, from 0). */
  z.strictObject({ type: z.literal('monitor.chosen'), index: z.number().int().min(0).max(64) }),
  /**
   * The host's "Only verified technicians" setting declined a join before any prompt showed: `not-verified` (no
   * sign-in) or `domain` (signed in elsewhere). Name and email are what the join request said.
   */
  z.strictObject({
    type: z.literal('join.refused'),
    rule: z.enum(['not-verified', 'domain']),
    name: z.string().max(128),
    email: z.string().max(254).optional(),
  }),
  z.strictObject({
    type: z.literal('file'),
    action: z.enum(['offered', 'accepted', 'completed', 'declined', 'cancelled', 'failed']),
    direction: z.enum(['sent', 'received']),
    name: fileName,
    size: byteCount,
    sha256: sha256Hex.optional(),
  }),
  /** Size only: the text itself never leaves the two peers. */
  z.strictObject({ type: z.literal('clipboard.sent'), size: byteCount }),
  /** Recordings with consent (recording-messages.ts): the person's answer, each stop, the saved file's hash. */
  ...recordingAuditEventSchemas,
]);
export type ClientAuditEvent = z.infer<typeof clientAuditEventSchema>;
