import type { EndReason } from '../../protocol/signaling-messages';
import { auditSession } from '../audit/broker-audit';
import type { SessionRecord } from '../session-store';
import type { BrokerContext } from './broker-deps';

/** The session is over: its record goes, and both sides hear why and are unbound. */
export async function endSession(ctx: BrokerContext, session: SessionRecord, reason: EndReason): Promise<void> {
  const { store, router, metrics } = ctx;
  await store.delete(session.code);
  metrics.sessions.dec();
  auditSession(ctx.audit, session, { type: 'session.ended', reason, durationMs: Date.now() - (session.openedAt ?? Date.now()) });
  const ids = [session.hostConnectionId, session.viewer?.connectionId].filter((id): id is string => Boolean(id));
  for (const id of ids) {
    // The side that caused the end does not need telling; the message is harmless to it anyway.
    router.send(id, { type: 'session.ended', reason });
    router.unbind(id);
  }
}

/** The viewer's seat is free again (it left, its grace ran out, or it went before the host answered). */
export async function dropViewer(ctx: BrokerContext, session: SessionRecord, reason: EndReason): Promise<void> {
  const viewer = session.viewer;
  if (!viewer) return;
  delete session.viewer;
  session.expiresAt = Date.now() + ctx.config.sessionTtlMs;
  await ctx.store.put(session);
  auditSession(ctx.audit, session, viewer.admitted ? { type: 'viewer.left', reason } : { type: 'view.decision', outcome: 'timed-out' });
  ctx.router.unbind(viewer.connectionId);
  if (session.hostAwayUntil) return;
  // A technician who picked the request and went before the host answered: the person keeps their place.
  if (!viewer.admitted && viewer.help) await ctx.onPickUndone?.(session, viewer, true);
  ctx.router.send(session.hostConnectionId, { type: 'peer.left', reason });
  ctx.router.unpair(session.hostConnectionId);
}
