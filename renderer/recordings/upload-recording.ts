import { recordingIdSchema, recordingSessionSchema } from '../../protocol/recordings';

export interface RecordingUpload {
  /** The session as the technician's page knows it: its code (or its audit id). */
  sessionId: string;
  /** Random, 16–64 of A–Z a–z 0–9 _ - (`recordingIdSchema`); names the file on the server. */
  recordingId: string;
  blob: Blob;
  /** Lower-case hex SHA-256 of `blob`, as the page computed it (and recorded it in the audit trail). */
  sha256: string;
  durationMs: number;
}

/**
 * Sends a finished recording to the server that served this page, signed in by its cookie
 * (`PUT /api/recordings/<id>`, signaling/recordings/); in the desktop app the same request goes to main, which sends
 * it on to the signaling server with the signed-in technician's credential (main/services/recording-upload-relay.ts). `stored`: the server kept it (its own SHA-256 matched);
 * `not-kept`: the server keeps no recordings (no `--recordings-dir`), nothing went wrong; `failed`: anything else
 * (not signed in, too large, changed on the way, no network) — the technician still has their own copy.
 * A 409 (this id is already kept) is `stored`: ids are random per recording, so it is this page's own earlier
 * attempt whose answer was lost. Never throws.
 */
export async function uploadRecording(input: RecordingUpload): Promise<'stored' | 'not-kept' | 'failed'> {
  const id = recordingIdSchema.safeParse(input.recordingId);
  const session = recordingSessionSchema.safeParse(input.sessionId);
  if (
    !id.success ||
    !session.success ||
    !/^[0-9a-f]{64}$/i.test(input.sha256) ||
    !Number.isInteger(input.durationMs) ||
    input.durationMs < 0
  )
    return 'failed';
  try {
    const res = await fetch(`/api/recordings/${id.data}`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'video/webm',
        'x-peerdesk-session': session.data,
        'x-recording-sha256': input.sha256.toLowerCase(),
        'x-recording-duration-ms': String(input.durationMs),
      },
      body: input.blob,
    });
    if (res.status === 201 || res.status === 409) return 'stored';
    if (res.status === 404) return 'not-kept';
    return 'failed';
  } catch {
    return 'failed';
  }
}
