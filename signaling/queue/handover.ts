import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import type { ClientMessage, HandoverTarget } from '../../protocol/signaling-messages';
import { auditSession } from '../audit/broker-audit';
import type { AuditSink } from '../audit/audit-sink';
import type { ClientConnection } from '../client-connection';
import type { SignalingConfig } from '../config';
import type { ConnectionRouter } from '../connection-router';
import type { SessionLocks } from '../session-broker';
import { generateRequestId } from '../session-codes';
import type { SessionRecord, SessionStore } from '../session-store';
import type { HelpRecord } from './queue-store';

type HandoverMessage = Extract<ClientMessage, { type: 'help.handover' }>;

/** What handing a session on needs of the queue's parts. */
export interface HandoverDeps {
  config: SignalingConfig;
  sessions: SessionStore;
  locks: SessionLocks;
  router: ConnectionRouter;
  audit?: AuditSink;
  reject: (conn: ClientConnection, code: SignalingErrorCode, message?: string) => void;
  /** Puts the record in the queue (no size limit: the person already waited once) and tells the host its place. */
  enqueue: (record: HelpRecord) => Promise<boolean>;
}

/** Without a description of their own (a code-and-PIN session), the colleague reads this. */
const NO_DESCRIPTION = 'Session handed over (the person did not write a description).';

/**
 * A signed-in technician hands the session they are in to a colleague (by sign-in email) or back to a team's queue.
 * Their own part ends at once — the server unseats them and tells the host, whose page stops sharing (so their view
 * and control end there, whatever their page does) — and the session waits in the queue as a request only the
 * colleague (or the team) sees. Whoever picks it is asked for by the usual consent prompt, naming them: consent
 * is never carried over from one technician to the next.
 */
export async function handOver(deps: HandoverDeps, conn: ClientConnection, m: HandoverMessage): Promise<void> {
  const { reject, config } = deps;
  const identity = conn.identity;
  if (!identity) return reject(conn, SignalingErrorCode.SignInRequired);
  if (conn.role !== 'viewer' || !conn.code) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.HandOverFromSession);
  const to = normalised(m.to);
  if ('technician' in to && to.technician === identity.email.toLowerCase())
    return reject(conn, SignalingErrorCode.BadState, BAD_STATE.HandOverToSelf);
  if ('team' in to && to.team !== undefined && !config.teams.includes(to.team)) return reject(conn, SignalingErrorCode.UnknownTeam);
  const code = conn.code;
  const record = await deps.locks.run(code, async () => {
    const session = await deps.sessions.get(code);
    const seat = session?.viewer;
    if (!session || !seat?.admitted || seat.connectionId !== conn.id || session.hostAwayUntil) return undefined;
    return unseat(deps, conn, session, to, m.note);
  });
  if (!record) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.CannotHandOverNow);
  await deps.enqueue(record);
}

/** Emails compare in lower case (identity providers differ in how they spell them). */
function normalised(to: HandoverTarget): HandoverTarget {
  return 'technician' in to ? { technician: to.technician.toLowerCase() } : to;
}

/** Under the session's lock: the technician leaves the seat, recorded, and the request that replaces them is made. */
async function unseat(
  deps: HandoverDeps,
  conn: ClientConnection,
  session: SessionRecord,
  to: HandoverTarget,
  note: string | undefined,
): Promise<HelpRecord> {
  const { config, router } = deps;
  const seat = session.viewer!;
  const identity = conn.identity!;
  const now = Date.now();
  const earlier = seat.help;
  const record: HelpRecord = {
    id: generateRequestId(),
    code: session.code,
    hostConnectionId: session.hostConnectionId,
    name: earlier?.name ?? 'Name not given (a code and PIN session)',
    description: note ?? earlier?.description ?? NO_DESCRIPTION,
    ...('team' in to && to.team ? { team: to.team } : earlier?.team && !('team' in to) ? { team: earlier.team } : {}),
    ...(earlier?.app ? { app: earlier.app } : {}),
    ...(earlier?.os ? { os: earlier.os } : {}),
    // The person keeps the place they first waited in: being handed on is no reason to queue behind newcomers.
    createdAt: earlier?.createdAt ?? session.openedAt ?? now,
    expiresAt: now + config.helpRequestTtlMs,
    ...('technician' in to ? { forTechnician: to.technician } : {}),
    handedOverBy: identity,
  };
  delete session.viewer;
  // The code must outlive the wait: an unused session ends at its expiry.
  session.expiresAt = Math.max(now + config.sessionTtlMs, record.expiresAt);
  await deps.sessions.put(session);
  if (deps.audit) auditSession(deps.audit, session, { type: 'help.handover', identity, to });
  router.send(conn.id, { type: 'session.ended', reason: 'handed-over' });
  router.unbind(conn.id);
  router.unpair(session.hostConnectionId);
  router.send(session.hostConnectionId, { type: 'peer.left', reason: 'handed-over' });
  return record;
}
