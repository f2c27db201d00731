/**
 * Recordings with consent: the technician asks to record, the person's own prompt answers, either side stops. Its
 * own data channel ("recording", negotiated id 11, reliable and ordered), so a request never waits behind chat or a
 * file offer and its refusals are counted apart. Nothing here carries media: the technician's page records the video
 * it already receives; the messages only say whether the person agreed, and for how long.
 */
import * as z from 'zod';

/** The negotiated id of the recording channel (pointer 7, toolkit 8, files 9, annotations 10). */
export const RECORDING_CHANNEL_ID = 11;
/** Largest recording message either side parses, in bytes: the longest is a state with its reason. */
export const MAX_RECORDING_MESSAGE_BYTES = 512;
/** Messages per second the host takes from the technician (burst: RECORDING_BURST); a person clicks, not a script. */
export const RECORDING_MESSAGES_PER_SECOND = 2;
export const RECORDING_BURST = 6;
/** After each Deny the next request waits longer: 10 s, 30 s, then 60 s (as control requests do). */
export const RECORDING_COOLDOWNS_MS = [10_000, 30_000, 60_000] as const;

/** Chosen by the technician's page, unique per session: every state names the recording it is about. */
export const recordingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/**
 * Why a recording ended: the person's Stop, the technician's, the person took control back, the person shared
 * something else (never agreed for this recording), or the session (or its link) ended.
 */
export const recordingStopReasonSchema = z.enum(['person', 'technician', 'revoked', 'source-switched', 'session-ended']);
export type RecordingStopReason = z.infer<typeof recordingStopReasonSchema>;

/** Technician → person. */
export const viewerRecordingSchema = z.discriminatedUnion('t', [
  /** Please ask the person; nothing is recorded before their Allow. */
  z.strictObject({ t: z.literal('recording.request'), id: recordingIdSchema }),
  /** The technician stopped (or left): the person's mark goes. */
  z.strictObject({ t: z.literal('recording.stop'), id: recordingIdSchema }),
]);
export type ViewerRecording = z.infer<typeof viewerRecordingSchema>;

/**
 * Person → technician, the only word that starts a recording: `asking` (the prompt is up), `recording` (Allow),
 * `declined` (Deny, or the prompt went before an answer), `stopped` (with why), `cooldown` (asked too soon after a
 * Deny; the person was not asked), `busy` (a prompt or a recording is already on).
 */
export const recordingStateValues = ['asking', 'recording', 'declined', 'stopped', 'cooldown', 'busy'] as const;
export const hostRecordingSchema = z.strictObject({
  t: z.literal('recording.state'),
  id: recordingIdSchema,
  state: z.enum(recordingStateValues),
  reason: recordingStopReasonSchema.optional(),
});
export type HostRecording = z.infer<typeof hostRecordingSchema>;
export type RecordingStateValue = HostRecording['state'];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

/**
 * What each side reports to the server's audit trail (`audit.report`), spread into `clientAuditEventSchema`:
 * the person's answer and every stop as each side saw it, and the technician's saved file with its SHA-256, size and
 * duration (the bytes never pass the server unless uploaded).
 */
export const recordingAuditEventSchemas = [
  z.strictObject({
    type: z.literal('recording'),
    action: z.enum(['requested', 'allowed', 'declined', 'started', 'stopped']),
    recordingId: recordingIdSchema,
    reason: recordingStopReasonSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('recording.saved'),
    recordingId: recordingIdSchema,
    sha256: sha256Hex,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    durationMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
] as const;
export type RecordingAuditEvent = z.infer<(typeof recordingAuditEventSchemas)[number]>;
