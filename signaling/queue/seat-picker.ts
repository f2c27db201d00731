import { auditSession } from '../audit/broker-audit';
import { iceServersForSide } from '../broker/side-grants';
import { generateRequestId } from '../session-codes';
import type { ClientConnection } from '../client-connection';
import type { AuditSink } from '../audit/audit-sink';
import type { SignalingConfig } from '../config';
import type { ConnectionRouter } from '../connection-router';
import type { SessionStore } from '../session-store';
import type { HelpRecord } from './queue-store';

/**
 * Seats the technician who won the pick as the viewer of the request's session — no PIN: the request was the
 * host's invitation — and asks the host the usual consent question, naming the verified technician and carrying the
 * description. Runs under the session's lock. False when the session is gone or someone else sits there already.
 */
/** What seating a picker needs of the queue's parts. */
export interface SeatPickerDeps {
  sessions: SessionStore;
  router: ConnectionRouter;
  config: SignalingConfig;
  audit?: AuditSink;
}

export async function seatPicker(deps: SeatPickerDeps, conn: ClientConnection, record: HelpRecord): Promise<boolean> {
  const { sessions, router, config } = deps;
  const identity = conn.identity!;
  const session = await sessions.get(record.code);
  if (!session || session.locked || session.viewer || session.hostAwayUntil) return false;
  if (session.hostConnectionId !== record.hostConnectionId) return false;
  const requestId = generateRequestId();
  session.viewer = { connectionId: conn.id, requestId, name: identity.name, identity, admitted: false, help: record };
  // The broker's grant path: the host's grant is handed again while fresh (and stored), as for a join by PIN.
  const iceServers = iceServersForSide(config, session, 'host');
  await sessions.put(session);
  if (deps.audit) auditSession(deps.audit, session, { type: 'help.picked', identity, address: conn.address });
  conn.role = 'viewer';
  conn.code = session.code;
  conn.send({ type: 'queue.picked', requestId: record.id });
  conn.send({ type: 'join.pending' });
  router.send(session.hostConnectionId, { type: 'help.taken', requestId: record.id, identity });
  router.send(session.hostConnectionId, {
    type: 'join.request',
    requestId,
    name: identity.name,
    identity,
    description: record.description,
    ...(record.handedOverBy ? { handedOverBy: record.handedOverBy } : {}),
    iceServers,
  });
  return true;
}
