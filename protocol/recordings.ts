/**
 * Session recordings kept by the server (`--recordings-dir`, signaling/recordings/): the upload's headers, what is
 * kept about each file, and `GET /api/recordings` as the console reads it.
 */
import * as z from 'zod';
import { verifiedIdentitySchema } from './signaling-messages';

/** An opaque id the technician's page makes (random); it names the file, so nothing but these characters. */
export const recordingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'recording id: 16–64 of A–Z a–z 0–9 _ -' });

/** What `x-peerdesk-session` may carry: the session's code (9 digits) or its id in the audit trail. */
export const recordingSessionSchema = z
  .string()
  .regex(/^(\d{9}|[A-Za-z0-9_-]{16,64})$/, { error: 'x-peerdesk-session: the session code or its audit id' });

/** A whole day's recording is far beyond any helpdesk session; anything longer is a wrong header. */
export const MAX_RECORDING_DURATION_MS = 24 * 60 * 60_000;

export const recordingUploadHeadersSchema = z.object({
  'x-peerdesk-session': recordingSessionSchema,
  'x-recording-sha256': z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'x-recording-sha256: 64 hex digits' })
    .transform((s) => s.toLowerCase()),
  'x-recording-duration-ms': z.coerce
    .number({ error: 'x-recording-duration-ms: a whole number of milliseconds' })
    .int()
    .min(0)
    .max(MAX_RECORDING_DURATION_MS),
});

/**
 * One kept recording. `session.id` is the session's audit id when the server could tell it (the uploader was the
 * live session's technician, or sent the id); `session.code` only ever the code's first digits (`123******`).
 */
export const recordingMetaSchema = z.strictObject({
  id: recordingIdSchema,
  session: z.strictObject({ id: z.string().max(64).optional(), code: z.string().max(16).optional() }),
  by: verifiedIdentitySchema,
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  durationMs: z.number().int().min(0).max(MAX_RECORDING_DURATION_MS),
  storedAt: z.iso.datetime(),
});
export type RecordingMeta = z.infer<typeof recordingMetaSchema>;

/** `GET /api/recordings`: newest first; `scope` says whether it is everyone's (an admin) or the asker's own. */
export const recordingListSchema = z.strictObject({
  recordings: z.array(recordingMetaSchema).max(10_000),
  scope: z.enum(['all', 'own']),
});
export type RecordingList = z.infer<typeof recordingListSchema>;
