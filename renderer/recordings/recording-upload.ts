/** What the server keeps of a saved recording (`--recordings-dir`): stored, refused (off, too large), or failed. */
export type UploadOutcome = 'stored' | 'not-kept' | 'failed';
export interface UploadInput {
  sessionId: string;
  recordingId: string;
  blob: Blob;
  sha256: string;
  durationMs: number;
}
export type UploadRecording = (input: UploadInput) => Promise<UploadOutcome>;

/**
 * The server copy of a recording. None yet: the upload lives in `upload-recording.ts` (the server-side recordings
 * work); wiring it is this one line, `export { uploadRecording } from './upload-recording';` in place of the next.
 */
export const uploadRecording: UploadRecording | undefined = undefined;
