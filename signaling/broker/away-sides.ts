import type { BrokerContext } from './broker-deps';
import type { SessionRecord } from '../session-store';

/** Which sides of a session lost their signaling connection (a socket closed, or its node died). */
export interface GoneSides {
  host?: boolean;
  viewer?: boolean;
}

/**
 * The one place a side goes away. An admitted side keeps its place for the grace period and may resume with its
 * token; a side still connected is unpaired (its signals are dropped, not held against it) and hears `peer.away`,
 * its peer-to-peer link may well be fine. A side already away is left as it is. Stores the record when anything
 * changed and schedules the sweep for the deadline. A viewer still waiting for consent is the caller's to drop.
 */
export async function markAway(ctx: BrokerContext, session: SessionRecord, gone: GoneSides): Promise<void> {
  const { router, config, store } = ctx;
  const until = Date.now() + config.resumeGraceMs;
  const seat = session.viewer?.admitted ? session.viewer : undefined;
  const host = Boolean(gone.host) && session.hostAwayUntil === undefined;
  const viewer = Boolean(gone.viewer) && seat !== undefined && seat.awayUntil === undefined;
  if (!host && !viewer) return;
  if (host) session.hostAwayUntil = until;
  if (viewer) seat!.awayUntil = until;
  await store.put(session);
  const tell = (id: string) => {
    router.unpair(id);
    router.send(id, { type: 'peer.away', graceMs: config.resumeGraceMs });
  };
  if (host && seat && seat.awayUntil === undefined) tell(seat.connectionId);
  if (viewer && session.hostAwayUntil === undefined) tell(session.hostConnectionId);
  ctx.sweepAt(until);
}
