/**
 * `GET /api/audit/sessions`: the audit trail's records grouped by session, for the technicians' console. Built by
 * the server (signaling/audit/audit-sessions.ts) from what the trail holds; checked by the console before it shows a
 * single character of it.
 */
import * as z from 'zod';
import { auditReporterSchema } from './audit-events';
import { verifiedIdentitySchema } from './signaling-messages';

const isoTime = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().max(max);

/** One record of a session, as it is stored: the event's own fields are the recorder's data, shown as text. */
export const auditTimelineEntrySchema = z.strictObject({
  seq: z.number().int().min(1),
  at: isoTime,
  type: text(64),
  reportedBy: auditReporterSchema,
  fields: z.record(z.string().max(64), z.unknown()),
});
export type AuditTimelineEntry = z.infer<typeof auditTimelineEntrySchema>;

export const auditSessionFileSchema = z.strictObject({
  name: text(1024),
  size: z.number().int().min(0),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  direction: z.enum(['sent', 'received']),
  /** The side that said so (the server never sees the bytes). */
  reportedBy: auditReporterSchema,
});

export const auditSessionSchema = z.strictObject({
  /** The session's random audit id (never its code). */
  id: text(64),
  /** The code's first digits (`123******`), to match what the person read out. */
  code: text(16).nullable(),
  started: isoTime,
  /** Null while the session is live (or its end fell outside the window). */
  ended: isoTime.nullable(),
  durationMs: z.number().int().min(0).nullable(),
  /** The server-verified technician the host let in (or the last one who asked); null when nobody signed in asked. */
  technician: verifiedIdentitySchema.nullable(),
  /** The name typed by the last technician who asked without signing in. */
  typedName: text(128).nullable(),
  hostAddress: text(64).nullable(),
  /** The name the person gave when they asked through the support queue (null: a code and PIN session). */
  person: text(128).nullable(),
  /** The team the request was made to, or last handed to. */
  team: text(32).nullable(),
  /** `ended: host-left`, `declined`, `live`, … in words the console shows as they are. */
  outcome: text(64),
  controlMs: z.number().int().min(0),
  files: z.array(auditSessionFileSchema).max(1000),
  /** Windows or screens the host switched to, as the host's picker named them. */
  sources: z.array(text(256)).max(200),
  clipboardSends: z.number().int().min(0),
  timeline: z.array(auditTimelineEntrySchema).max(2000),
});
export type AuditSession = z.infer<typeof auditSessionSchema>;

/**
 * What the console's outcome filter offers: how the person answered (`allowed`, `declined`, `timed-out`,
 * `capture-failed`), whether the session is still `live` or `ended`, and sessions a technician `handed-over`.
 */
export const auditOutcomeFilterSchema = z.enum(['live', 'ended', 'allowed', 'declined', 'timed-out', 'capture-failed', 'handed-over']);
export type AuditOutcomeFilter = z.infer<typeof auditOutcomeFilterSchema>;

export const auditSessionsResponseSchema = z.strictObject({
  /** Newest first. */
  sessions: z.array(auditSessionSchema),
  /** More sessions matched than one answer carries: narrow the dates. */
  truncated: z.boolean(),
  /** Whose sessions these are: everyone's (an admin) or the signed-in technician's own. */
  scope: z.enum(['all', 'own']),
});
export type AuditSessionsResponse = z.infer<typeof auditSessionsResponseSchema>;
