import type { ClientAuditEvent, JoinResult, ServerAuditEvent } from '../../protocol/audit-events';
import type { ClientMessage } from '../../protocol/signaling-messages';
import type { ClientConnection } from '../client-connection';
import type { SessionLocks } from '../broker/broker-deps';
import type { SessionRecord, SessionStore } from '../session-store';
import { maskCode, noAuditSink, type AuditSink, type SessionRef } from './audit-sink';

/**
 * How long after its session ended a side's reports are still filed under it: a technician's recording finishes
 * saving (`recording.saved`) after the session it recorded has ended, and a transfer's last word may cross the end.
 */
export const LATE_REPORT_GRACE_MS = 60_000;

interface EndedSide {
  session: SessionRef;
  role: 'host' | 'viewer';
  until: number;
}

/**
 * The sides of sessions that ended here in the last `LATE_REPORT_GRACE_MS`, by connection id, per trail (oldest
 * first, pruned as new ones come and old ones are asked for). A node knows the ends it ran; a side on another node
 * of a shared store is refused after the end, as before.
 */
const endedSides = new WeakMap<AuditSink, Map<string, EndedSide>>();

function rememberEnded(audit: AuditSink, session: SessionRecord, now = Date.now()): void {
  if (audit === noAuditSink) return;
  let sides = endedSides.get(audit);
  if (!sides) endedSides.set(audit, (sides = new Map()));
  for (const [id, side] of sides) {
    if (side.until > now) break;
    sides.delete(id);
  }
  const ref = sessionRef(session);
  const add = (id: string, role: EndedSide['role']) => {
    sides.delete(id); // re-inserted last, so the map stays in expiry order
    sides.set(id, { session: ref, role, until: now + LATE_REPORT_GRACE_MS });
  };
  if (session.hostConnectionId) add(session.hostConnectionId, 'host');
  if (session.viewer?.admitted) add(session.viewer.connectionId, 'viewer');
}

function endedSide(audit: AuditSink, connectionId: string, now = Date.now()): EndedSide | undefined {
  const side = endedSides.get(audit)?.get(connectionId);
  return side && side.until > now ? side : undefined;
}

/** The session as the trail names it: its random id and the code's first digits, never the whole code. */
export const sessionRef = (session: Pick<SessionRecord, 'code' | 'auditId'>): SessionRef => ({
  ...(session.auditId ? { id: session.auditId } : {}),
  code: maskCode(session.code),
});

/** Something the server itself saw happen to a session. */
export function auditSession(audit: AuditSink, session: SessionRecord, event: ServerAuditEvent): void {
  audit.record({ session: sessionRef(session), reportedBy: 'server', event });
  if (event.type === 'session.ended') rememberEnded(audit, session);
}

/** One `viewer.join` and how far it got; a code that names no live session is kept as its first digits only. */
export function auditJoin(
  audit: AuditSink,
  conn: ClientConnection,
  message: Extract<ClientMessage, { type: 'viewer.join' }>,
  session: SessionRecord | undefined,
  result: JoinResult,
): void {
  audit.record({
    session: session ? sessionRef(session) : { code: maskCode(message.code) },
    reportedBy: 'server',
    event: {
      type: 'join.attempt',
      name: message.name,
      ...(conn.identity ? { identity: conn.identity } : {}),
      address: conn.address,
      result,
    },
  });
}

/**
 * An `audit.report` (already schema-checked, and counted against the connection's rate bucket like any frame):
 * stored as what that side says happened, only from the host of a live session or its admitted viewer — or, for
 * `LATE_REPORT_GRACE_MS` after the end, from a side of a session that ended here (filed under that session).
 * Returns false when the connection is no such side.
 */
export async function auditReport(
  deps: { store: SessionStore; audit: AuditSink },
  conn: ClientConnection,
  event: ClientAuditEvent,
): Promise<boolean> {
  const session = conn.code ? await deps.store.get(conn.code) : undefined;
  const role = conn.role;
  if (session && (role === 'host' || role === 'viewer')) {
    const bound =
      role === 'host' ? session.hostConnectionId === conn.id : session.viewer?.admitted === true && session.viewer.connectionId === conn.id;
    if (bound) {
      deps.audit.record({ session: sessionRef(session), reportedBy: role, event });
      return true;
    }
  }
  const ended = endedSide(deps.audit, conn.id);
  if (!ended) return false;
  deps.audit.record({ session: ended.session, reportedBy: ended.role, event });
  return true;
}

/**
 * A node without a shared store ends its sessions when it shuts down: each gets its `session.ended` record
 * before the trail is flushed. (On a shared store the sessions live on, resumed elsewhere.) Each under its session's
 * lock, and gone from the store once recorded: a host's leave in flight ends its session first (and then there is
 * nothing left to end here), or finds it already ended — one `session.ended` either way.
 */
export async function auditShutdown(
  deps: { store: SessionStore; audit: AuditSink; locks: SessionLocks },
  hosts: Iterable<ClientConnection>,
): Promise<void> {
  // Read now: the sockets are closing, and what a connection is bound to may change while we wait for a lock.
  const ends = [...hosts].flatMap((conn) => (conn.role === 'host' && conn.code ? [{ id: conn.id, code: conn.code }] : []));
  for (const { id, code } of ends) {
    await deps.locks.run(code, async () => {
      const session = await deps.store.get(code);
      if (session?.hostConnectionId !== id) return;
      await deps.store.delete(code);
      auditSession(deps.audit, session, {
        type: 'session.ended',
        reason: 'server-shutdown',
        durationMs: Date.now() - (session.openedAt ?? Date.now()),
      });
    });
  }
}
