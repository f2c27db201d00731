import type { IceServer } from '../../protocol/signaling-messages';
import { generateTurnLabel } from '../session-codes';
import type { SessionRecord } from '../session-store';
import { grantFor, type IceConfig, iceServersWith } from '../turn-credentials';

/**
 * The side's ICE servers, its TURN grant re-used while fresh; a new grant is kept on the record (the caller stores
 * it). Every path that hands a side ICE servers (join, decide, resume, a queue pick) goes through here, so none is
 * a tap of fresh relay credentials. Labels are random, nothing from the session: TURN usernames end up in coturn's
 * logs.
 */
export function iceServersForSide(config: IceConfig, session: SessionRecord, side: 'host' | 'viewer'): IceServer[] {
  if (side === 'host') return iceServersWith(config, (session.hostTurn = grantFor(config, session.hostTurn, generateTurnLabel)));
  const seat = session.viewer!;
  return iceServersWith(config, (seat.turn = grantFor(config, seat.turn, generateTurnLabel)));
}
