import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import type { ClientMessage } from '../../protocol/signaling-messages';
import { auditSession } from '../audit/broker-audit';
import type { ClientConnection } from '../client-connection';
import { generateResumeToken, hashResumeToken } from '../resume-tokens';
import { generatePin } from '../session-codes';
import type { SessionRecord } from '../session-store';
import type { BrokerContext } from './broker-deps';
import { claimOf, inviteUrl, tokenMessage } from './session-messages';
import { iceServersForSide } from './side-grants';

type DecideMessage = Extract<ClientMessage, { type: 'host.decide' }>;

/** `host.decide`: the host's Allow pairs the sides and hands the viewer its token; a Deny frees the seat. */
export async function decideJoin(ctx: BrokerContext, conn: ClientConnection, message: DecideMessage): Promise<void> {
  const session = conn.code ? await ctx.store.get(conn.code) : undefined;
  if (conn.role !== 'host' || !session || session.hostConnectionId !== conn.id)
    return ctx.reject(conn, SignalingErrorCode.BadState, BAD_STATE.NotHost);
  const pending = session.viewer;
  if (!pending || pending.admitted || pending.requestId !== message.requestId)
    return ctx.reject(conn, SignalingErrorCode.BadState, BAD_STATE.NoSuchJoinRequest);
  const { router, store, metrics } = ctx;

  // PINs are one-time once a join is decided either way: the next viewer needs the new one.
  session.pin = generatePin();
  if (!message.allow) {
    delete session.viewer;
    await store.put(session);
    metrics.joins.inc({ outcome: 'denied' });
    auditSession(ctx.audit, session, { type: 'view.decision', outcome: message.reason ?? 'declined' });
    router.send(pending.connectionId, { type: 'join.denied', ...(message.reason ? { reason: message.reason } : {}) });
    router.unbind(pending.connectionId);
    conn.send(pinMessage(ctx, session));
    return ctx.onPickUndone?.(session, pending, message.requeue === true);
  }
  const token = generateResumeToken();
  session.viewer = { ...pending, admitted: true, tokenHash: hashResumeToken(token) };
  const viewerIce = iceServersForSide(ctx.config, session, 'viewer');
  const hostIce = iceServersForSide(ctx.config, session, 'host');
  await store.put(session);
  router.pair(session.hostConnectionId, pending.connectionId);
  router.pair(pending.connectionId, session.hostConnectionId);
  metrics.joins.inc({ outcome: 'admitted' });
  auditSession(ctx.audit, session, { type: 'view.decision', outcome: 'allowed' });
  router.send(pending.connectionId, { type: 'join.accepted', iceServers: viewerIce });
  router.send(pending.connectionId, tokenMessage(session.code, token, ctx.config.resumeGraceMs));
  conn.send({ type: 'peer.admitted', requestId: pending.requestId, ...claimOf(pending), iceServers: hostIce });
  conn.send(pinMessage(ctx, session));
}

/** The new PIN (the old one is spent) and the invite link that carries it. */
const pinMessage = (ctx: BrokerContext, session: SessionRecord) =>
  ({ type: 'session.pin', pin: session.pin, inviteUrl: inviteUrl(ctx.inviteBase(), session), expiresAt: session.expiresAt }) as const;
