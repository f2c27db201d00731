/**
 * What the server's audit trail records (signaling/audit/). Server-observed events come from the session broker;
 * client-reported ones arrive in `audit.report` frames and are stored marked by the side that reported them, since
 * the server never sees the media, the input or the file bytes. Chat text has no event: it is never stored.
 */
import * as z from 'zod';
import { endReasonSchema, handoverTargetSchema, sessionRoleSchema, verifiedIdentitySchema } from './signaling-messages';
import { clientAuditEventSchema } from './audit-reports';

export { clientAuditEventSchema, type ClientAuditEvent } from './audit-reports';

const address = z.string().max(64);
/** Outcomes of one `viewer.join`: waiting for the host, or why it went no further. */
export const joinResultSchema = z.enum(['pending', 'wrong-pin', 'lockout', 'backoff', 'busy', 'no-session']);
export type JoinResult = z.infer<typeof joinResultSchema>;

export const signInOutcomeSchema = z.enum(['signed-in', 'signed-out', 'refused', 'revoked']);
export type SignInOutcome = z.infer<typeof signInOutcomeSchema>;

/** The host's answer to a join: `timed-out` is a viewer that stopped waiting (gave up or went) before any answer. */
export const viewOutcomeSchema = z.enum(['allowed', 'declined', 'timed-out', 'capture-failed']);

// ---- observed by the server ----
export const serverAuditEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('session.created'), address }),
  z.strictObject({
    type: z.literal('join.attempt'),
    /** What the technician typed; `identity` only when the server verified them through sign-in. */
    name: z.string().max(128),
    identity: verifiedIdentitySchema.optional(),
    address,
    result: joinResultSchema,
  }),
  /** The person asked for help through the support queue: the name they gave and the team (what admins filter by). */
  z.strictObject({ type: z.literal('help.requested'), name: z.string().max(128), team: z.string().max(32).optional() }),
  /** A signed-in technician picked the host's help request from the support queue (no code, no PIN): they ask next. */
  z.strictObject({ type: z.literal('help.picked'), identity: verifiedIdentitySchema, address }),
  /** The admitted technician (`identity`) handed the session on; their view ended, the person is asked again by the next one. */
  z.strictObject({ type: z.literal('help.handover'), identity: verifiedIdentitySchema, to: handoverTargetSchema }),
  z.strictObject({ type: z.literal('view.decision'), outcome: viewOutcomeSchema }),
  z.strictObject({ type: z.literal('viewer.left'), reason: endReasonSchema }),
  z.strictObject({ type: z.literal('session.resumed'), role: sessionRoleSchema }),
  z.strictObject({ type: z.literal('session.ended'), reason: endReasonSchema, durationMs: z.number().int().min(0) }),
  /** A technician's upload of a session recording was kept (`--recordings-dir`): who sent it, and the file the server hashed itself. */
  z.strictObject({
    type: z.literal('recording.stored'),
    recording: z.string().max(64),
    identity: verifiedIdentitySchema,
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    durationMs: z.number().int().min(0),
  }),
  /**
   * A technician's sign-in on this server, outside any session: signed in, signed out, refused (`reason`: the
   * provider's answer was not accepted — wrong issuer, audience, signature, nonce —, no email, or not on the list),
   * or ended by the provider at a refresh (`revoked`). `identity` whenever the server knows who it was.
   */
  z.strictObject({
    type: z.literal('sign-in'),
    outcome: signInOutcomeSchema,
    identity: verifiedIdentitySchema.optional(),
    reason: z.string().max(200).optional(),
    address,
  }),
]);
export type ServerAuditEvent = z.infer<typeof serverAuditEventSchema>;

export const auditEventSchema = z.union([serverAuditEventSchema, clientAuditEventSchema]);
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** Who saw it happen: the server itself, or one side of the session (what that side says happened). */
export const auditReporterSchema = z.enum(['server', 'host', 'viewer']);
export type AuditReporter = z.infer<typeof auditReporterSchema>;
