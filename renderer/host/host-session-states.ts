import type { ControlState } from '../../protocol/control-messages';
import type { EndReason, IceServer, ServerMessageOf, VerifiedIdentity } from '../../protocol/signaling-messages';
import type { LogKind } from '../session/session-log';

/**
 * The host session's words: its states, the events that reach it, and the effects a transition asks for. The
 * transitions themselves are one table, `HOST_TRANSITIONS` in `host-session-machine.ts`.
 */

export type JoinRequest = ServerMessageOf<'join.request'>;
export interface SessionCode {
  code: string;
  pin: string;
  inviteUrl: string;
}
/** The technician let in: as shown, what the server verified (none: the name was only typed), when Allow was pressed. */
export interface Viewer {
  requestId: string;
  name: string;
  identity?: VerifiedIdentity;
  allowedAt: number;
}
/** The peer link to the technician: none yet (or lost), made and connecting, or up with control and toolkit on it. */
export type LinkPhase = 'none' | 'connecting' | 'up';

export type HostState =
  | { kind: 'idle' }
  /** Reaching the signaling server; no code yet. */
  | { kind: 'connecting' }
  /** A code and PIN shown; nobody in. `notice` says what just happened (declined, left, lost). */
  | { kind: 'ready'; session: SessionCode; notice?: string }
  /**
   * Someone asks to see the screen; nothing is shared. A link may be prepared meanwhile, sent nothing; the desktop
   * app's prompt shows a live preview of the picked source (its capture, kept on this machine, is what Allow shares).
   */
  | { kind: 'prompt'; session: SessionCode; request: JoinRequest }
  /** Allow pressed; the capture is starting. `admitted`: the server was told Allow already (desktop app). */
  | { kind: 'starting'; session: SessionCode; viewer: Viewer; admitted: boolean; link: LinkPhase }
  /** The capture runs and the technician is admitted. `control` is main's word on remote control. */
  | { kind: 'sharing'; session: SessionCode; viewer: Viewer; link: LinkPhase; control: ControlState }
  /** The peer link went away without a goodbye: the capture runs, nothing is sent, the technician may come back. */
  | { kind: 'interrupted'; session: SessionCode; viewer: Viewer }
  /** Over. `opened`: a session existed (else it never started). */
  | { kind: 'ended'; opened: boolean; message: string };

export type HostEvent =
  // This screen.
  | { type: 'start' }
  | { type: 'prompt.painted'; requestId: string }
  | { type: 'allow'; at: number; admitEarly: boolean }
  | { type: 'deny'; requeue?: boolean }
  | { type: 'stop' }
  /** `changed: false`: the switch was cancelled or failed, and the same source is still shared. */
  | { type: 'source.switched'; changed?: boolean }
  | { type: 'grace.expired' }
  // The signaling server.
  | { type: 'server.unreachable'; message: string }
  | { type: 'server.closed'; message: string }
  | { type: 'server.error'; code: string; message: string }
  | { type: 'opened'; session: SessionCode }
  | { type: 'pin.changed'; pin: string; inviteUrl: string }
  | { type: 'join.requested'; request: JoinRequest; refusal?: string }
  | { type: 'join.failed'; attempts: number; max: number }
  | { type: 'peer.admitted'; requestId: string; name: string; identity?: VerifiedIdentity; iceServers: IceServer[] }
  | { type: 'peer.away' }
  | { type: 'peer.back'; renew: boolean; iceServers: IceServer[] }
  | { type: 'session.ended'; reason: EndReason }
  // The technician left: the server's `peer.left`, or their Leave said on the peer link. `serverLost`: the server
  // forgot the session, so the code cannot be given to anyone else.
  | { type: 'peer.left'; serverLost: boolean; handedOver?: boolean }
  // The capture (the requestId it was started for).
  | { type: 'capture.started'; requestId: string; label: string }
  | { type: 'capture.failed'; requestId: string; cancelled: boolean; why: string; requeue?: boolean }
  // The peer link and main's control consent.
  | { type: 'link.connected' }
  | { type: 'link.lost'; serverLost: boolean }
  | { type: 'control.changed'; state: ControlState };

export type HostEffect =
  | { do: 'open-server' }
  | { do: 'decline'; requestId: string; reason?: 'capture-failed'; requeue?: boolean }
  | { do: 'admit'; requestId: string }
  | { do: 'prepare-link-after-paint'; requestId: string }
  | { do: 'prepare-link'; request: JoinRequest }
  | { do: 'discard-prepared' }
  | { do: 'start-capture'; requestId: string }
  | { do: 'use-capture' }
  | { do: 'drop-capture' }
  /** The prompt's live preview (a capture that never left this machine) stops, and goes from the prompt. */
  | { do: 'drop-warm' }
  | { do: 'connect-peer'; iceServers: IceServer[]; requestId?: string }
  | { do: 'attach-tools' }
  | { do: 'probe-link' }
  /** Main ends the control session: it revokes control and releases every key and button the technician held. */
  | { do: 'end-control' }
  /** A recording the person agreed to ends (their consent was for what was shared, controlled, in this session). */
  | { do: 'end-recording'; reason: 'revoked' | 'source-switched' | 'session-ended' }
  /** The peer link and what rides on it (toolkit, screen list) go; the capture stays. */
  | { do: 'drop-link' }
  | { do: 'start-grace-timer' }
  | { do: 'clear-grace-timer' }
  /** Capture, link, prepared link and grace timer all go; the code stays. */
  | { do: 'stop-sharing' }
  /** "Leave" to the server, and `session.end` on the peer link (the server may be down). */
  | { do: 'say-goodbye'; reason?: 'capture-failed' }
  | { do: 'teardown'; message: string }
  | { do: 'report-refusal'; request: JoinRequest }
  | { do: 'log'; kind: LogKind; text: string; detail?: Record<string, string | number>; at?: number }
  | { do: 'show-failed-joins'; attempts: number; max: number }
  | { do: 'refresh-pin' }
  | { do: 'repaint' }
  | { do: 'announce-screens' }
  | { do: 'warn'; code: string; message: string };

export interface HostStep {
  next: HostState;
  effects: HostEffect[];
}
