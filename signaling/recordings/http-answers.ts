import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** `{ "error": "<what happened, in words>" }`: every refusal of the recordings routes. */
export function sendError(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error });
}
