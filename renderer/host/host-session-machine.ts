import { displayName } from '../../common/display-text';
import { HOST_END_MESSAGES, hostEndMessage, joinedLine } from './host-wording';
import type { HostEffect, HostEvent, HostState, HostStep, JoinRequest, SessionCode, Viewer } from './host-session-states';

export type * from './host-session-states';

/**
 * The "Get help" session as a typed state machine: what the host's screen is in, what can happen to it, and what
 * each happening does. Pure (no DOM, no network): `HostScreen` feeds it events and carries out the effects it
 * names; the views only draw the state. Every transition is in `HOST_TRANSITIONS` below.
 */

type Kind = HostState['kind'];
type StateOf<K extends Kind> = Extract<HostState, { kind: K }>;
type EventOf<T extends HostEvent['type']> = Extract<HostEvent, { type: T }>;
type Handler<S extends HostState, T extends HostEvent['type']> = (s: S, e: EventOf<T>) => HostStep;
type Row<S extends HostState> = { [T in HostEvent['type']]?: Handler<S, T> };
/** States with a code: everything between `opened` and the end. */
type Opened = Exclude<HostState, { kind: 'idle' | 'connecting' | 'ended' }>;

const stay = <S extends HostState>(s: S, ...effects: HostEffect[]): HostStep => ({ next: s, effects });
const ended = (opened: boolean, message: string, ...before: HostEffect[]): HostStep => ({
  next: { kind: 'ended', opened, message },
  effects: [...before, { do: 'teardown', message }],
});
const ready = (session: SessionCode, notice: string | undefined, ...effects: HostEffect[]): HostStep => ({
  next: { kind: 'ready', session, notice },
  effects,
});
const viewerOf = (request: JoinRequest, at: number): Viewer => ({
  requestId: request.requestId,
  name: displayName(request.name),
  identity: request.identity,
  allowedAt: at,
});
const joinedLog = (e: EventOf<'peer.admitted'>, viewer: Viewer): HostEffect => ({
  do: 'log',
  kind: 'joined',
  text: joinedLine(e.name, e.identity),
  detail: { viewer: displayName(e.name) },
  at: viewer.allowedAt,
});

const LEFT = 'Your technician left. You can give the code to someone else, or end the session.';
const LOST = 'The connection to your technician was lost.';
const HANDED_OVER = 'Your technician handed the session over and can no longer see your screen.';

/** What every state with a code does alike: the end, the other side leaving, PIN news, server trouble. */
const opened: Row<Opened> = {
  stop: () => ended(true, HOST_END_MESSAGES['host-left'], { do: 'end-recording', reason: 'session-ended' }, { do: 'say-goodbye' }),
  'session.ended': (s, e) => ended(true, hostEndMessage(e.reason)),
  'peer.left': (s, e) =>
    e.serverLost
      ? ended(true, 'Your technician left the session.')
      : ready(s.session, e.handedOver ? HANDED_OVER : LEFT, { do: 'stop-sharing' }),
  'pin.changed': (s, e) => stay({ ...s, session: { ...s.session, pin: e.pin, inviteUrl: e.inviteUrl } }, { do: 'refresh-pin' }),
  'join.failed': (s, e) =>
    stay(
      s,
      { do: 'log', kind: 'join-failed', text: `Someone tried a wrong PIN (${e.attempts} of ${e.max})`, detail: { attempts: e.attempts } },
      { do: 'show-failed-joins', attempts: e.attempts, max: e.max },
    ),
  'server.closed': (s, e) => ended(true, e.message),
  'server.error': (s, e) => stay(s, { do: 'warn', code: e.code, message: e.message }),
  // A capture the screen no longer waits for (the request was declined, replaced or ended meanwhile): shares nothing.
  'capture.started': (s) => stay(s, { do: 'drop-capture' }),
};

/** "Only verified technicians": declined at once, never a prompt; the reason goes in the log (and the ready card). */
const declineByPolicy = (e: EventOf<'join.requested'>, why: string): HostEffect[] => [
  { do: 'decline', requestId: e.request.requestId },
  { do: 'log', kind: 'join-failed', text: why, detail: { viewer: displayName(e.request.name) } },
  { do: 'report-refusal', request: e.request },
];
const showPrompt = (session: SessionCode, e: EventOf<'join.requested'>): HostStep =>
  e.refusal
    ? stay({ kind: 'ready', session, notice: e.refusal }, ...declineByPolicy(e, e.refusal), { do: 'repaint' })
    : {
        next: { kind: 'prompt', session, request: e.request },
        effects: [
          { do: 'discard-prepared' },
          { do: 'drop-warm' },
          { do: 'prepare-link-after-paint', requestId: e.request.requestId },
          { do: 'repaint' },
        ],
      };
/** The peer link went away: the technician may come back within their grace period, unless the server is gone too. */
const linkLost = (s: StateOf<'sharing'>, e: EventOf<'link.lost'>): HostStep =>
  e.serverLost
    ? ended(true, LOST)
    : {
        next: { kind: 'interrupted', session: s.session, viewer: s.viewer },
        effects: [{ do: 'end-control' }, { do: 'drop-link' }, { do: 'start-grace-timer' }],
      };
/** The technician's page reloaded: viewing resumes on a new link without a new Allow; control does not. */
const peerBack = (s: StateOf<'sharing'> | StateOf<'interrupted'>, e: EventOf<'peer.back'>): HostStep =>
  !e.renew
    ? stay(s)
    : {
        next: { kind: 'sharing', session: s.session, viewer: s.viewer, link: 'connecting', control: 'none' },
        effects: [
          { do: 'clear-grace-timer' },
          { do: 'log', kind: 'joined', text: `${s.viewer.name} reconnected after a reload`, detail: { viewer: s.viewer.name } },
          { do: 'end-control' },
          { do: 'drop-link' },
          { do: 'connect-peer', iceServers: e.iceServers },
        ],
      };

/**
 * THE table: state × event → next state and effects. An event a state has no entry for is ignored there (a late
 * or duplicate message changes nothing). Read a row to know everything that state does.
 */
export const HOST_TRANSITIONS: { [K in Kind]: Row<StateOf<K>> } = {
  idle: {
    start: () => ({ next: { kind: 'connecting' }, effects: [{ do: 'open-server' }] }),
  },
  connecting: {
    opened: (s, e) => ready(e.session, undefined),
    'server.unreachable': (s, e) => ended(false, e.message),
    'server.closed': (s, e) => ended(false, e.message),
    // Refused before any session existed (e.g. too many opens from this network): nothing to wait for.
    'server.error': (s, e) => ended(false, e.message),
    'session.ended': (s, e) => ended(false, hostEndMessage(e.reason)),
  },
  ready: {
    ...opened,
    'join.requested': (s, e) => showPrompt(s.session, e),
  },
  prompt: {
    ...opened,
    'join.requested': (s, e) => (e.refusal ? stay(s, ...declineByPolicy(e, e.refusal)) : showPrompt(s.session, e)),
    // Made once the prompt is painted, never after the decision (an admitted viewer's queue is open).
    'prompt.painted': (s, e) => (e.requestId === s.request.requestId ? stay(s, { do: 'prepare-link', request: s.request }) : stay(s)),
    // The desktop app's picked source always starts: admitted at once, linked while the capture starts. A
    // browser's own picker can still be cancelled: admitted once it has started.
    allow: (s, e) => ({
      next: { kind: 'starting', session: s.session, viewer: viewerOf(s.request, e.at), admitted: e.admitEarly, link: 'none' },
      effects: [{ do: 'start-capture', requestId: s.request.requestId }, ...(e.admitEarly ? [admit(s.request.requestId)] : [])],
    }),
    deny: (s, e) =>
      ready(
        s.session,
        'You declined the request.',
        { do: 'decline', requestId: s.request.requestId, requeue: e.requeue },
        { do: 'discard-prepared' },
        { do: 'drop-warm' },
      ),
  },
  starting: {
    ...opened,
    'join.requested': (s, e) => (e.refusal ? stay(s, ...declineByPolicy(e, e.refusal)) : showPrompt(s.session, e)),
    'capture.started': (s, e) =>
      e.requestId !== s.viewer.requestId
        ? stay(s, { do: 'drop-capture' })
        : {
            next: { kind: 'sharing', session: s.session, viewer: s.viewer, link: s.link, control: 'none' },
            effects: [{ do: 'use-capture' }, ...(s.admitted ? [] : [admit(s.viewer.requestId)]), { do: 'repaint' }],
          },
    'capture.failed': (s, e) => (e.requestId === s.viewer.requestId ? captureFailed(s, e) : stay(s)),
    'peer.admitted': (s, e) => ({
      next: { ...s, link: 'connecting' },
      effects: [joinedLog(e, s.viewer), { do: 'connect-peer', iceServers: e.iceServers, requestId: e.requestId }, { do: 'repaint' }],
    }),
    'link.connected': (s) => stay({ ...s, link: 'up' }, { do: 'attach-tools' }, { do: 'announce-screens' }),
    // Nothing is shared yet, so nothing waits for the technician: the server's peer.back or peer.left decides.
    'link.lost': (s, e) => (e.serverLost ? ended(true, LOST) : stay({ ...s, link: 'none' }, { do: 'end-control' }, { do: 'drop-link' })),
    'peer.away': (s) => (s.link === 'none' ? stay(s) : stay(s, { do: 'probe-link' })),
    'server.closed': (s, e) => (s.link === 'none' ? ended(true, e.message) : stay(s)),
  },
  sharing: {
    ...opened,
    'peer.admitted': (s, e) => ({
      next: { ...s, link: 'connecting' },
      effects: [joinedLog(e, s.viewer), { do: 'connect-peer', iceServers: e.iceServers, requestId: e.requestId }],
    }),
    'link.connected': (s) =>
      stay({ ...s, link: 'up', control: 'none' }, { do: 'attach-tools' }, { do: 'announce-screens' }, { do: 'repaint' }),
    // Control ended (the person took it back, the hotkey, or the technician gave it up): a recording stops with it.
    'control.changed': (s, e) =>
      stay({ ...s, control: e.state }, ...(e.state === 'revoked' ? [{ do: 'end-recording', reason: 'revoked' } as const] : [])),
    // A crashed or closed page looks like this first: if the link does not answer either, it is gone (link.lost).
    'peer.away': (s) => (s.link === 'none' ? stay(s) : stay(s, { do: 'probe-link' })),
    'link.lost': linkLost,
    'peer.back': peerBack,
    // The person agreed to record what was shared then: another source ends it (they may agree again when asked).
    'source.switched': (s, e) =>
      stay(
        s,
        ...(e.changed === false ? [] : [{ do: 'end-recording', reason: 'source-switched' } as const]),
        { do: 'repaint' },
        { do: 'announce-screens' },
      ),
    // While a link lives, the session carries on without the server.
    'server.closed': (s, e) => (s.link === 'none' ? ended(true, e.message) : stay(s)),
  },
  interrupted: {
    ...opened,
    'peer.back': peerBack,
    'grace.expired': (s) => ready(s.session, LOST, { do: 'stop-sharing' }),
  },
  ended: {
    start: () => ({ next: { kind: 'connecting' }, effects: [{ do: 'open-server' }] }),
  },
};

function admit(requestId: string): HostEffect {
  return { do: 'admit', requestId };
}

/** Nothing was shared. A cancelled browser picker is a refusal; anything else is a failure the technician is told of. */
function captureFailed(s: StateOf<'starting'>, e: EventOf<'capture.failed'>): HostStep {
  const { requestId } = s.viewer;
  if (e.cancelled)
    return ready(
      s.session,
      'Sharing was cancelled, so the request was declined.',
      { do: 'decline', requestId, requeue: e.requeue },
      { do: 'discard-prepared' },
    );
  if (s.admitted) return ended(true, e.why, { do: 'say-goodbye', reason: 'capture-failed' });
  return ready(
    s.session,
    `${e.why} Your technician was told it is a technical problem. They can ask again.`,
    { do: 'decline', requestId, reason: 'capture-failed' },
    { do: 'discard-prepared' },
  );
}

/** One step of the machine; `undefined` when the state has no entry for the event (ignored). */
export function hostStep(state: HostState, event: HostEvent): HostStep | undefined {
  const row = HOST_TRANSITIONS[state.kind] as Row<HostState>;
  const handler = row[event.type] as ((s: HostState, e: HostEvent) => HostStep) | undefined;
  return handler?.(state, event);
}

/** The view a state shows (the page's `data-host-state`). Allow pressed in a browser keeps the prompt up while its picker is open. */
export type HostView = 'connecting' | 'ready' | 'prompt' | 'connecting-peer' | 'sharing' | 'interrupted' | 'ended';
export function hostView(state: HostState): HostView | undefined {
  switch (state.kind) {
    case 'idle':
      return undefined;
    case 'starting':
      return state.admitted || state.link !== 'none' ? 'connecting-peer' : 'prompt';
    default:
      return state.kind;
  }
}
