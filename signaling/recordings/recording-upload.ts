import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordingUploadHeadersSchema, type RecordingMeta } from '../../protocol/recordings';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import { AppSignIn } from '../auth/app-sign-in';
import { verifiedIdentity } from '../auth/technician-identity';
import type { RoutesContext } from './recording-routes';
import { RecordingExists } from './recording-store';
import { DISCARD_PAST_CAP_BYTES, isWebm, receiveUpload, UploadTooLarge } from './upload-receiver';
import { sendError } from './http-answers';

/** An upload that sends nothing for this long is cut (the server's request timeout is long while recordings are on). */
const UPLOAD_IDLE_MS = 30_000;

/** CSRF: a state-changing request from a page must come from our own page (its Origin), as sign-out does. */
function sameOrigin(req: IncomingMessage, own: Set<string>): boolean {
  const origin = req.headers.origin;
  return Boolean(origin && own.has(origin) && req.headers['sec-fetch-site'] !== 'cross-site');
}

/**
 * A refusal before the body is read. A small declared body is left for Node to read past (the connection stays
 * usable); a large or undeclared one closes the connection after the answer instead of reading it.
 */
function refuseEarly(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!(declared <= DISCARD_PAST_CAP_BYTES)) res.setHeader('Connection', 'close');
  sendError(res, status, error);
}

/**
 * Who uploads: the desktop app's technician by the credential main adds to the request it forwards (the app's page
 * never holds it; `Authorization: Bearer`, checked like the app's WebSocket upgrade), a browser's by its cookie.
 */
async function uploader(ctx: RoutesContext, req: IncomingMessage, res: ServerResponse): Promise<VerifiedIdentity | undefined> {
  if (AppSignIn.carriesCredential(req)) return ctx.signIn.identifyUpgrade(req);
  const { session, setCookie } = await ctx.signIn.sessionOf(req);
  if (setCookie.length) res.setHeader('Set-Cookie', setCookie);
  return session && verifiedIdentity(session);
}

/**
 * `PUT /api/recordings/<id>`: a signed-in technician's WebM. Streamed to a part file, capped, hashed here and
 * compared with `x-recording-sha256`, checked for WebM's magic bytes, then kept with its metadata and recorded in
 * the audit trail (`recording.stored`). Anything refused leaves nothing behind.
 */
export async function uploadRecording(ctx: RoutesContext, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const { store } = ctx;
  if (!sameOrigin(req, ctx.ownOrigins())) return refuseEarly(req, res, 403, 'Cross-origin upload refused.');
  const by = await uploader(ctx, req, res);
  if (!by) return refuseEarly(req, res, 401, 'Sign in as a technician to upload a recording.');
  const headers = recordingUploadHeadersSchema.safeParse(req.headers);
  if (!headers.success) return refuseEarly(req, res, 400, headers.error.issues.map((i) => i.message).join('; '));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > ctx.maxBytes) return refuseEarly(req, res, 413, tooLarge(ctx.maxBytes));
  if (await store.find(id)) return refuseEarly(req, res, 409, 'A recording with this id is already kept.');

  req.socket.setTimeout(UPLOAD_IDLE_MS, () => req.destroy());
  const part = store.incomingPath();
  let received;
  try {
    received = await receiveUpload(req, part, ctx.maxBytes);
  } catch (err) {
    await store.discard(part);
    if (err instanceof UploadTooLarge && !err.cut) return sendError(res, 413, tooLarge(ctx.maxBytes));
    ctx.log.info({ err, id }, 'recording upload cut short; nothing kept');
    return void res.destroy();
  } finally {
    req.socket.setTimeout(0);
  }
  const want = headers.data['x-recording-sha256'];
  if (received.sha256 !== want) {
    await store.discard(part);
    return sendError(res, 422, `The file's SHA-256 is ${received.sha256}, not ${want}: it changed on the way. Nothing was kept.`);
  }
  if (!isWebm(received.head)) {
    await store.discard(part);
    return sendError(res, 415, 'Not a WebM file (it does not start with the EBML header). Nothing was kept.');
  }
  const meta: RecordingMeta = {
    id,
    session: await ctx.sessionOfUpload(headers.data['x-peerdesk-session'], by.email),
    by,
    size: received.size,
    sha256: received.sha256,
    durationMs: headers.data['x-recording-duration-ms'],
    storedAt: ctx.now().toISOString(),
  };
  try {
    await store.commit(part, meta);
  } catch (err) {
    if (err instanceof RecordingExists) return sendError(res, 409, 'A recording with this id is already kept.');
    throw err;
  }
  ctx.audit.record({
    session: meta.session,
    reportedBy: 'server',
    event: { type: 'recording.stored', recording: id, identity: by, size: meta.size, sha256: meta.sha256, durationMs: meta.durationMs },
  });
  ctx.log.info({ id, size: meta.size, by: by.email }, 'recording stored');
  res.writeHead(201, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Location: `/api/recordings/${id}` });
  res.end(JSON.stringify(meta));
}

const tooLarge = (max: number) =>
  `The recording is larger than this server keeps (${Math.floor(max / 1024 / 1024)} MiB). Nothing was kept.`;
