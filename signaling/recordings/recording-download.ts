import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import parseRange from 'range-parser';
import type { RecordingMeta } from '../../protocol/recordings';

/** `peerdesk-recording_2026-12-07T01-02-03Z_<id>.webm`: when and which, safe in any file system. */
export const downloadName = (meta: RecordingMeta) =>
  `peerdesk-recording_${meta.storedAt.replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}_${meta.id}.webm`;

/**
 * Streams a kept recording as `video/webm`. One byte range (`Range: bytes=…`) answers 206, so a `<video>` can
 * seek; several ranges are answered whole (allowed, and no player asks for them); one past the end is a 416.
 * `?download=1` makes it an attachment, otherwise it plays inline (the same file name either way).
 */
export async function sendRecording(req: IncomingMessage, res: ServerResponse, file: string, meta: RecordingMeta, download: boolean) {
  const headers: Record<string, string> = {
    'Content-Type': 'video/webm',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
    ETag: `"${meta.sha256}"`,
    'Content-Disposition': `${download ? 'attachment' : 'inline'}; filename="${downloadName(meta)}"`,
  };
  const ranges = req.headers.range ? parseRange(meta.size, req.headers.range, { combine: true }) : -2;
  if (ranges === -1) {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${meta.size}` });
    return void res.end();
  }
  const one = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined;
  const start = one?.start ?? 0;
  const end = one?.end ?? meta.size - 1;
  res.writeHead(one ? 206 : 200, {
    ...headers,
    'Content-Length': String(meta.size === 0 ? 0 : end - start + 1),
    ...(one ? { 'Content-Range': `bytes ${start}-${end}/${meta.size}` } : {}),
  });
  if (req.method === 'HEAD' || meta.size === 0) return void res.end();
  // A client that goes away (a seeking <video> does so all the time) ends the read; that is no failure.
  await pipeline(createReadStream(file, { start, end }), res).catch(() => undefined);
}
