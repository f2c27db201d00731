import fixWebmDuration from 'fix-webm-duration';

/** One chat line as the recording keeps it beside the video. */
export interface RecordedChatLine {
  /** Epoch ms, the writer's clock. */
  at: number;
  from: 'technician' | 'person';
  text: string;
}

/** `peerdesk-recording-2026-12-07T02-10-33Z`: sortable, and without characters any file system refuses. */
export function recordingBaseName(at: Date): string {
  return `peerdesk-recording-${at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}`;
}

/** Lowercase hex SHA-256 of a blob's bytes (what the audit trail records and a reviewer recomputes). */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The browser's recorder writes WebM without a duration (it streams, and does not know the end when it starts),
 * so players cannot seek and `ffprobe` says N/A; the duration is written into the file's header once it is known.
 */
export function withDuration(blob: Blob, durationMs: number): Promise<Blob> {
  return fixWebmDuration(blob, durationMs, { logger: false });
}

/** The chat side file: JSON lines, one message each, text exactly as it was written (never markup). */
export function chatSideFile(lines: RecordedChatLine[]): Blob {
  const body = lines.map((l) => JSON.stringify({ at: new Date(l.at).toISOString(), from: l.from, text: l.text })).join('\n');
  return new Blob([body ? `${body}\n` : ''], { type: 'application/x-ndjson' });
}
