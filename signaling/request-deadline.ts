import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** A recording's upload (`PUT /api/recordings/<id>`): the one request whose body may take minutes. */
export function isRecordingUpload(req: IncomingMessage): boolean {
  return req.method === 'PUT' && (req.url ?? '').startsWith('/api/recordings/');
}

/**
 * Node's request timeout is one figure for the whole server; while recordings are kept it must be long enough for an
 * upload. This gives every other request the short one back: a request whose body has not fully arrived `ms` after
 * it began is answered 408 (if nothing was sent yet) and its connection closed, so a slow-loris on any other route
 * is cut as before. The upload has its own idle cut (recordings/recording-upload.ts).
 */
export function withRequestDeadline(handler: RequestListener, ms: number, long: (req: IncomingMessage) => boolean): RequestListener {
  return (req, res) => {
    if (!req.complete && !long(req)) cutIfIncomplete(req, res, ms);
    handler(req, res);
  };
}

function cutIfIncomplete(req: IncomingMessage, res: ServerResponse, ms: number): void {
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) res.writeHead(408, { Connection: 'close', 'Content-Type': 'text/plain' }).end('Request timeout');
    req.socket.destroy();
  }, ms);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}
