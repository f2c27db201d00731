import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieSealer } from '../../../signaling/auth/sealed-cookie';
import type { RunningSignalingServer } from '../../../signaling/server';
import { SECRET } from '../audit/audit-http';

export { cookieFor, start, OLLIE, TINA } from '../audit/audit-http';

/** The desktop app's sealed credential (what POST /auth/app/token gives it) for `email`, as its Authorization value. */
export async function appAuthorizationFor(server: { url: string }, email: string): Promise<string> {
  const me = (await (await fetch(`${server.url}/auth/me`)).json()) as { issuer: string };
  const session = { sub: email, name: email.split('@')[0], email, org: 'Example IT', issuer: me.issuer, admin: false };
  return `Bearer ${await new CookieSealer(SECRET).seal(session, 'app-credential', Math.floor(Date.now() / 1000) + 3600)}`;
}

export const freshRecordingsDir = () => mkdtempSync(join(tmpdir(), 'peerdesk-recordings-'));

/** Bytes that start like a WebM file (its EBML header) and go on at random: what the server checks is the start. */
export const webmLike = (size: number) => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), randomBytes(size - 4)]);
export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const newId = () => randomBytes(18).toString('base64url');

export interface PutOptions {
  cookie?: string;
  /** The Origin header; the server's own by default, `null` for none. */
  origin?: string | null;
  sha256?: string;
  durationMs?: number;
  session?: string;
}

/** `PUT /api/recordings/<id>` as the technician's page sends it (`renderer/recordings/upload-recording.ts`). */
export function putRecording(server: RunningSignalingServer, id: string, body: Uint8Array, o: PutOptions = {}) {
  const headers: Record<string, string> = {
    'content-type': 'video/webm',
    'x-peerdesk-session': o.session ?? '123456789',
    'x-recording-sha256': o.sha256 ?? sha256Of(body),
    'x-recording-duration-ms': String(o.durationMs ?? 1500),
  };
  if (o.cookie) headers.cookie = o.cookie;
  const origin = o.origin === undefined ? server.url : o.origin;
  if (origin !== null) headers.origin = origin;
  return fetch(`${server.url}/api/recordings/${id}`, { method: 'PUT', headers, body: new Blob([new Uint8Array(body)]) });
}

/** What the recordings directory holds, uploads in progress included: a refused upload must leave nothing. */
export const filesIn = (dir: string) => [...readdirSync(dir).filter((n) => n !== '.incoming'), ...readdirSync(join(dir, '.incoming'))];

/**
 * An upload's request line and headers with `Content-Length: <declared>` and no body, on a raw socket: the whole
 * answer the server sends before it closes. (A client that were sending the body would race the server's close.)
 */
export function headersOnly(serverUrl: string, id: string, cookie: string, declared: number): Promise<string> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (d) => (text += String(d)));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(
      [
        `PUT /api/recordings/${id} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        `Origin: ${serverUrl}`,
        `Cookie: ${cookie}`,
        'x-peerdesk-session: 123456789',
        `x-recording-sha256: ${'d'.repeat(64)}`,
        'x-recording-duration-ms: 1000',
        `Content-Length: ${declared}`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}
