import type { ServerMessage, ServerMessageOf } from '../../protocol/signaling-messages';
import type { HostEvent } from './host-session-machine';

/** What the host's session needs to read a server message: the "only verified" rule and whether the server is gone. */
export interface ServerEventContext {
  refusal(request: ServerMessageOf<'join.request'>): string | undefined;
  serverLost(): boolean;
}

/** A server message as the host session's event; undefined for those that change no state. */
export function hostEventOf(m: ServerMessage, ctx: ServerEventContext): HostEvent | undefined {
  switch (m.type) {
    case 'host.opened':
      return { type: 'opened', session: { code: m.code, pin: m.pin, inviteUrl: m.inviteUrl } };
    case 'session.pin':
      return { type: 'pin.changed', pin: m.pin, inviteUrl: m.inviteUrl };
    case 'join.request':
      return { type: 'join.requested', request: m, refusal: ctx.refusal(m) };
    case 'join.failed':
      return { type: 'join.failed', attempts: m.attempts, max: m.maxAttempts };
    case 'peer.admitted':
      return { type: 'peer.admitted', requestId: m.requestId, name: m.name, identity: m.identity, iceServers: m.iceServers };
    case 'peer.away':
      return { type: 'peer.away' };
    case 'peer.back':
      return { type: 'peer.back', renew: Boolean(m.renew), iceServers: m.iceServers };
    case 'peer.left':
      return { type: 'peer.left', serverLost: ctx.serverLost(), ...(m.reason === 'handed-over' ? { handedOver: true } : {}) };
    case 'session.ended':
      return { type: 'session.ended', reason: m.reason };
    case 'error':
      return { type: 'server.error', code: m.code, message: m.message };
    default:
      return undefined;
  }
}
