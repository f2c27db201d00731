import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { recordingIdSchema, type RecordingList, type RecordingMeta } from '../../protocol/recordings';
import type { AuditSink } from '../audit/audit-sink';
import type { SignIn } from '../auth/sign-in';
import { sendRecording } from './recording-download';
import type { RecordingStore } from './recording-store';
import { uploadRecording } from './recording-upload';
import { sendError, sendJson } from './http-answers';

const PREFIX = '/api/recordings';

export interface RecordingRoutesDeps {
  /** Undefined: the server keeps no recordings (no `--recordings-dir`), and these routes say so. */
  store?: RecordingStore;
  maxBytes: number;
  signIn: Pick<SignIn, 'sessionOf' | 'identifyUpgrade'>;
  /** The server's own origins: the only pages that may upload. */
  ownOrigins: () => Set<string>;
  audit: AuditSink;
  /** What the upload's `x-peerdesk-session` names, as the audit trail records it (never a whole code). */
  sessionOfUpload: (value: string, email: string) => Promise<RecordingMeta['session']>;
  log: Logger;
  now?: () => Date;
}

export type RoutesContext = Omit<RecordingRoutesDeps, 'store' | 'now'> & { store: RecordingStore; now: () => Date };

/**
 * `/api/recordings` (list), `/api/recordings/<id>` (PUT upload, GET/HEAD play or download) for signed-in
 * technicians: an admin sees every recording, anyone else only their own (another's is a 404, as if it were not
 * there). Returns false for any other path.
 */
export function recordingRoutes(deps: RecordingRoutesDeps) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://peerdesk.invalid');
    if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return false;
    const { store } = deps;
    if (!store) {
      sendError(res, 404, 'This server keeps no recordings (start it with --recordings-dir <path> to keep uploaded copies).');
      return true;
    }
    const ctx: RoutesContext = { ...deps, store, now: deps.now ?? (() => new Date()) };
    void route(ctx, req, res, url).catch((err: unknown) => {
      deps.log.error({ err, path: url.pathname }, 'recordings route failed');
      if (!res.headersSent) sendError(res, 500, 'The recording could not be handled. Try again.');
      else res.destroy();
    });
    return true;
  };
}

async function route(ctx: RoutesContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (url.pathname === PREFIX) {
    if (req.method !== 'GET') return sendError(res, 405, 'Use GET.');
    return list(ctx, req, res);
  }
  const id = recordingIdSchema.safeParse(url.pathname.slice(PREFIX.length + 1));
  if (!id.success) return sendError(res, 404, 'No such recording.');
  if (req.method === 'PUT') return uploadRecording(ctx, req, res, id.data);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Use GET, HEAD or PUT.');
  const { session, setCookie } = await ctx.signIn.sessionOf(req);
  if (setCookie.length) res.setHeader('Set-Cookie', setCookie);
  if (!session) return sendError(res, 401, 'Sign in as a technician to play recordings.');
  const meta = await ctx.store.find(id.data);
  if (!meta || (!session.admin && meta.by.email !== session.email)) return sendError(res, 404, 'No such recording.');
  return sendRecording(req, res, ctx.store.filePath(meta.id), meta, url.searchParams.get('download') === '1');
}

async function list(ctx: RoutesContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { session, setCookie } = await ctx.signIn.sessionOf(req);
  if (setCookie.length) res.setHeader('Set-Cookie', setCookie);
  if (!session) return sendError(res, 401, 'Sign in as a technician to see recordings.');
  const body: RecordingList = {
    // The newest thousand: a console table, not an archive browser (older ones are still kept and fetchable).
    recordings: (await ctx.store.list(session.admin ? undefined : session.email)).slice(0, 1000),
    scope: session.admin ? 'all' : 'own',
  };
  sendJson(res, 200, body);
}
