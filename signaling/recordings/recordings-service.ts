import type { Logger } from 'pino';
import { SESSION_CODE_DIGITS } from '../../protocol/limits';
import type { RecordingMeta } from '../../protocol/recordings';
import { maskCode, type AuditSink } from '../audit/audit-sink';
import type { SignIn } from '../auth/sign-in';
import type { SessionStore } from '../session-store';
import { startRecordingRetention } from './recording-retention';
import { recordingRoutes } from './recording-routes';
import { RecordingStore } from './recording-store';

export interface RecordingSettings {
  /** Where uploaded recordings are kept; unset → none are (the routes answer 404 saying so). */
  recordingsDir?: string;
  recordingsMaxMib: number;
  /** Recordings older than this are deleted; unset → `auditRetentionDays`; both unset → kept. */
  recordingsRetentionDays?: number;
  auditRetentionDays?: number;
}

export interface RecordingsDeps {
  signIn: Pick<SignIn, 'sessionOf' | 'identifyUpgrade'>;
  ownOrigins: () => Set<string>;
  audit: AuditSink;
  sessions: Pick<SessionStore, 'get'>;
  log: Logger;
  /** Injected in tests (retention and the stored time). */
  now?: () => number;
}

const CODE = new RegExp(`^\\d{${SESSION_CODE_DIGITS}}$`);

/**
 * What an upload's `x-peerdesk-session` names. A code is kept only as its first digits; while the session is live
 * and the uploader is its technician, the session's audit id is added, so the recording joins its timeline. An id
 * is kept as sent (it is what the audit trail calls the session).
 */
export async function sessionOfUpload(
  sessions: RecordingsDeps['sessions'],
  value: string,
  email: string,
): Promise<RecordingMeta['session']> {
  if (!CODE.test(value)) return { id: value };
  const live = await sessions.get(value).catch(() => undefined);
  const id = live?.viewer?.admitted && live.viewer.identity?.email === email ? live.auditId : undefined;
  return { ...(id ? { id } : {}), code: maskCode(value) };
}

/** The recordings part of the server: the store (if on), its retention, and the `/api/recordings` routes. */
export async function startRecordings(settings: RecordingSettings, deps: RecordingsDeps) {
  const log = deps.log.child({ part: 'recordings' });
  const store = settings.recordingsDir ? await RecordingStore.open(settings.recordingsDir, log) : undefined;
  const days = settings.recordingsRetentionDays ?? settings.auditRetentionDays;
  const retention = store && days ? startRecordingRetention(store, { days, log, now: deps.now }) : undefined;
  if (store) log.info({ dir: store.dir, maxMib: settings.recordingsMaxMib, retentionDays: days }, 'recordings kept');
  const routes = recordingRoutes({
    store,
    maxBytes: settings.recordingsMaxMib * 1024 * 1024,
    signIn: deps.signIn,
    ownOrigins: deps.ownOrigins,
    audit: deps.audit,
    sessionOfUpload: (value, email) => sessionOfUpload(deps.sessions, value, email),
    log,
    ...(deps.now ? { now: () => new Date(deps.now!()) } : {}),
  });
  return { routes, store, purge: retention?.purge, close: () => retention?.stop() };
}

/**
 * The server's whole-request timeout while recordings are on: an upload of the largest recording over a modest
 * link. A stalled upload is cut sooner, by its idle timeout (recording-upload.ts).
 */
export const UPLOAD_REQUEST_TIMEOUT_MS = 15 * 60_000;
