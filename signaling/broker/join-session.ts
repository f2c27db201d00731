import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import { MAX_WRONG_PINS_PER_CODE } from '../../protocol/limits';
import type { ClientMessage } from '../../protocol/signaling-messages';
import { auditJoin } from '../audit/broker-audit';
import type { ClientConnection } from '../client-connection';
import { generateRequestId, pinsEqual } from '../session-codes';
import type { SessionRecord } from '../session-store';
import type { BrokerContext } from './broker-deps';
import { endSession } from './session-endings';
import { claimOf, mask } from './session-messages';
import { iceServersForSide } from './side-grants';

type JoinMessage = Extract<ClientMessage, { type: 'viewer.join' }>;

/**
 * `viewer.join`: code and PIN (behind the address's backoff), then the seat is held and the host asked. Wrong code,
 * wrong PIN, locked and expired all answer the same JOIN_FAILED.
 */
export async function joinSession(ctx: BrokerContext, conn: ClientConnection, message: JoinMessage): Promise<void> {
  if (conn.role !== 'none') return ctx.reject(conn, SignalingErrorCode.BadState, BAD_STATE.AlreadyInSession);
  const { limits, store, metrics, router, audit } = ctx;
  // Before the code is even looked up: an unsigned join leaves no trace at the host (not even a wrong-PIN count).
  if (ctx.config.requireSignIn && !conn.identity) {
    metrics.joins.inc({ outcome: 'unsigned' });
    return ctx.reject(conn, SignalingErrorCode.SignInRequired);
  }
  const wait = await limits.joinRetryAfter(conn.address);
  if (wait > 0) {
    metrics.joins.inc({ outcome: 'backoff' });
    auditJoin(audit, conn, message, undefined, 'backoff');
    return ctx.reject(conn, SignalingErrorCode.JoinBackoff, undefined, wait);
  }
  const session = await store.get(message.code);
  const usable = session && !session.locked && (session.viewer || session.expiresAt > Date.now());
  if (!session || !usable || !pinsEqual(session.pin, message.pin)) {
    await limits.recordJoinFailure(conn.address);
    metrics.joins.inc({ outcome: 'failed' });
    ctx.reject(conn, SignalingErrorCode.JoinFailed);
    // Recorded before a lock can end the session, so the attempt precedes the end in the trail.
    const lockingAttempt = session && (session.locked || session.wrongPins + 1 >= MAX_WRONG_PINS_PER_CODE);
    auditJoin(audit, conn, message, session, !session ? 'no-session' : lockingAttempt ? 'lockout' : 'wrong-pin');
    if (session && !session.locked) await wrongPin(ctx, session);
    return;
  }
  if (session.viewer) {
    metrics.joins.inc({ outcome: 'busy' });
    auditJoin(audit, conn, message, session, 'busy');
    return ctx.reject(conn, SignalingErrorCode.SessionBusy);
  }
  const requestId = generateRequestId();
  // Signed in: the verified name, whatever was typed. The identity comes from the socket's cookie, never the frame.
  const { identity } = conn;
  const name = identity?.name ?? message.name;
  session.viewer = { connectionId: conn.id, requestId, name, ...(identity ? { identity } : {}), admitted: false };
  const iceServers = session.hostAwayUntil ? [] : iceServersForSide(ctx.config, session, 'host');
  await store.put(session);
  conn.role = 'viewer';
  conn.code = session.code;
  metrics.joins.inc({ outcome: 'pending' });
  auditJoin(audit, conn, message, session, 'pending');
  conn.send({ type: 'join.pending' });
  if (!session.hostAwayUntil)
    router.send(session.hostConnectionId, { type: 'join.request', requestId, ...claimOf(session.viewer), iceServers });
}

/**
 * Counts a wrong PIN on a live code and tells its host. The lock ends a session nobody is connected to at
 * once (its code is burnt; waiting for the TTL would leave the host staring at a dead code), but never a
 * live pairing: a guesser who knows only the code must not be able to cut a helpdesk session. The guesser
 * gets the same JOIN_FAILED as for any other failure.
 */
async function wrongPin(ctx: BrokerContext, session: SessionRecord): Promise<void> {
  session.wrongPins = await ctx.store.addWrongPin(session.code);
  session.locked = session.wrongPins >= MAX_WRONG_PINS_PER_CODE;
  ctx.router.send(session.hostConnectionId, { type: 'join.failed', attempts: session.wrongPins, maxAttempts: MAX_WRONG_PINS_PER_CODE });
  if (!session.locked || session.viewer?.admitted) return ctx.store.put(session);
  ctx.log.warn({ code: mask(session.code) }, 'session code locked after wrong PINs; session ended');
  await endSession(ctx, session, 'locked');
}
