import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import type { ClientMessage } from '../../protocol/signaling-messages';
import { auditSession } from '../audit/broker-audit';
import type { ClientConnection } from '../client-connection';
import { generateResumeToken, hashResumeToken, tokenMatches } from '../resume-tokens';
import type { SessionRecord } from '../session-store';
import type { BrokerContext } from './broker-deps';
import { claimOf, tokenMessage } from './session-messages';
import { iceServersForSide } from './side-grants';

type ResumeMessage = Extract<ClientMessage, { type: 'session.resume' }>;
type Side = 'host' | 'viewer';

/**
 * `session.resume`: re-attaches a side to its session with its single-use token (rotated here). Viewing goes on
 * without a new Allow; control does not come back by itself (the host's input service revoked it when the link
 * changed). An older socket of the same side, not yet noticed as dead, is closed: the token holder is the side.
 */
export async function resumeSession(ctx: BrokerContext, conn: ClientConnection, message: ResumeMessage): Promise<void> {
  if (conn.role !== 'none') return ctx.reject(conn, SignalingErrorCode.BadState, BAD_STATE.AlreadyInSession);
  const { store, router, metrics } = ctx;
  const wait = await ctx.limits.takeResume(conn.address);
  if (wait > 0) {
    metrics.resumes.inc({ outcome: 'refused' });
    ctx.reject(conn, SignalingErrorCode.RateLimited, undefined, wait);
    // Closed, so the client's reconnect backoff retries later: its session keeps its grace meanwhile.
    return conn.socket.close(1013, 'too many resumes');
  }
  const session = await store.get(message.code);
  const role = session && tokenHolder(session, message.token);
  if (!session || !role) {
    metrics.resumes.inc({ outcome: 'failed' });
    return ctx.reject(conn, SignalingErrorCode.ResumeFailed);
  }
  const token = generateResumeToken();
  const { previous, peerId } = reattach(session, role, conn.id, hashResumeToken(token));
  // Handed again while fresh: a side resuming in a loop must not tap fresh relay credentials.
  const iceServers = iceServersForSide(ctx.config, session, role);
  const peerIce = peerId ? iceServersForSide(ctx.config, session, role === 'host' ? 'viewer' : 'host') : [];
  await store.put(session);
  if (previous !== conn.id) router.close(previous, 'resumed elsewhere');
  const viewer = session.viewer;
  conn.role = role;
  conn.code = session.code;
  conn.peerAway = !peerId && (role === 'viewer' || Boolean(viewer?.admitted));
  metrics.resumes.inc({ outcome: role });
  auditSession(ctx.audit, session, { type: 'session.resumed', role });
  conn.send(tokenMessage(session.code, token, ctx.config.resumeGraceMs));
  conn.send({
    type: 'session.resumed',
    role,
    peerPresent: Boolean(peerId),
    ...(role === 'host' && viewer?.admitted
      ? { peerName: viewer.name, ...(viewer.identity ? { peerIdentity: viewer.identity } : {}) }
      : {}),
    iceServers,
  });
  if (peerId) {
    router.pair(conn.id, peerId);
    router.pair(peerId, conn.id);
    router.send(peerId, { type: 'peer.back', renew: role === 'viewer' && message.fresh, iceServers: peerIce });
  }
  // A consent prompt the host missed while away is asked again.
  if (role === 'host' && viewer && !viewer.admitted) {
    const description = viewer.help ? { description: viewer.help.description } : {};
    conn.send({ type: 'join.request', requestId: viewer.requestId, ...claimOf(viewer), ...description, iceServers });
  }
}

/** Whose token this is: the host's, an admitted viewer's, or nobody's. */
function tokenHolder(session: SessionRecord, token: string): Side | undefined {
  if (tokenMatches(token, session.hostTokenHash)) return 'host';
  if (session.viewer?.admitted && tokenMatches(token, session.viewer.tokenHash)) return 'viewer';
  return undefined;
}

/** Moves the side to its new connection with its new token hash; names the connection it replaced and the peer. */
function reattach(session: SessionRecord, role: Side, connId: string, tokenHash: string) {
  const viewer = session.viewer;
  if (role === 'host') {
    const previous = session.hostConnectionId;
    session.hostConnectionId = connId;
    session.hostTokenHash = tokenHash;
    delete session.hostAwayUntil;
    return { previous, peerId: viewer?.admitted && !viewer.awayUntil ? viewer.connectionId : undefined };
  }
  const seat = viewer!;
  const previous = seat.connectionId;
  seat.connectionId = connId;
  seat.tokenHash = tokenHash;
  delete seat.awayUntil;
  return { previous, peerId: session.hostAwayUntil ? undefined : session.hostConnectionId };
}
