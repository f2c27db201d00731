import type { EndReason, IceServer } from '../../protocol/signaling-messages';
import type { StoredTicket } from './resume-ticket';
import type { JoinDetails } from './join-form';
import { END_CARD } from './viewer-messages';

/**
 * The "Give help" session as a typed state machine. Pure (no DOM, no network): `ViewerScreen` feeds it events and
 * carries out the effects it names; the views only draw the state. Every transition is in `VIEWER_TRANSITIONS`.
 */

/** How this page reaches a session: code and PIN, a help request picked in the console, or back after a reload. */
export type Approach = { via: 'join'; details: JoinDetails } | { via: 'pick'; requestId: string } | { via: 'resume'; ticket: StoredTicket };

export type ViewerState =
  | { kind: 'idle' }
  /** The join form; `error` says why the last attempt did not get in (a wrong code, say). */
  | { kind: 'form'; error?: string }
  /** Reaching the server and asking. */
  | { kind: 'connecting'; via: Approach['via'] }
  /** Asked; the person has not answered yet. */
  | { kind: 'waiting' }
  /** Admitted: the picture, control, toolkit. `link: 'closed'`: it closed under this page, the end's reason is awaited. */
  | { kind: 'watching'; link: 'open' | 'closed' }
  | { kind: 'ended'; title: string; message: string };

export type ViewerEvent =
  // This screen.
  | { type: 'show-form'; error?: string }
  | { type: 'approach'; approach: Approach }
  | { type: 'leave' }
  | { type: 'decision.timeout' }
  // The signaling server.
  | { type: 'server.unreachable'; message: string }
  | { type: 'server.closed'; message: string }
  /** A refusal from the server, in words for the technician. */
  | { type: 'server.error'; code: string; text: string }
  | { type: 'join.pending' }
  | { type: 'join.accepted'; iceServers: IceServer[] }
  | { type: 'session.resumed'; iceServers: IceServer[] }
  | { type: 'queue.taken' }
  | { type: 'peer.away' }
  /** `join.denied`, `session.ended`, `peer.left`, or the host's Stop said on the peer link. */
  | { type: 'ended'; reason: EndReason }
  // The peer link.
  | { type: 'link.failed'; iceState: string }
  | { type: 'link.closed'; serverOnline: boolean }
  /** No answer to a probe, or no reason came after the link closed: the person disconnected. */
  | { type: 'link.gone' };

export type ViewerEffect =
  | { do: 'open-server'; approach: Approach }
  | { do: 'start-decision-timer' }
  | { do: 'clear-decision-timer' }
  /** A fresh session log and its first line; joining anew also forgets an earlier session's security code. */
  | { do: 'start-log'; rejoined: boolean }
  /** The viewer's side of the peer link, made while the person decides: it says nothing until the host's offer. */
  | { do: 'prepare-link' }
  | { do: 'connect-peer'; iceServers: IceServer[] }
  | { do: 'probe-link' }
  | { do: 'await-end-reason' }
  /** "Leave" to the server, and `session.end` on the peer link (the server may be down). */
  | { do: 'say-goodbye' }
  /** Everything of the session goes (link, capture of input, panels, ticket, server); `record`: the log's end line. */
  | { do: 'teardown'; record?: string }
  | { do: 'warn'; code: string; text: string };

export interface ViewerStep {
  next: ViewerState;
  effects: ViewerEffect[];
}
type Kind = ViewerState['kind'];
type StateOf<K extends Kind> = Extract<ViewerState, { kind: K }>;
type EventOf<T extends ViewerEvent['type']> = Extract<ViewerEvent, { type: T }>;
type Row<S extends ViewerState> = { [T in ViewerEvent['type']]?: (s: S, e: EventOf<T>) => ViewerStep };

const stay = (s: ViewerState, ...effects: ViewerEffect[]): ViewerStep => ({ next: s, effects });
/** The end card, after everything of the session is gone. */
const ended = (title: string, message: string, ...before: ViewerEffect[]): ViewerStep => ({
  next: { kind: 'ended', title, message },
  effects: [...before, { do: 'teardown', record: message }],
});
const endedFor = (reason: EndReason, ...before: ViewerEffect[]) => ended(END_CARD[reason].title, END_CARD[reason].text, ...before);
const disconnected = (message: string) => ended('Disconnected', message);
const watch = (iceServers: IceServer[], rejoined: boolean): ViewerStep => ({
  next: { kind: 'watching', link: 'open' },
  effects: [{ do: 'clear-decision-timer' }, { do: 'start-log', rejoined }, { do: 'connect-peer', iceServers }],
});
const approach = (_s: ViewerState, e: EventOf<'approach'>): ViewerStep => ({
  next: { kind: 'connecting', via: e.approach.via },
  effects: [{ do: 'open-server', approach: e.approach }],
});

/** What a session under way does alike, asked, waiting or watching: the server's end, Leave, the server gone. */
const live: Row<StateOf<'connecting'> | StateOf<'waiting'> | StateOf<'watching'>> = {
  ended: (s, e) => endedFor(e.reason),
  leave: () => endedFor('viewer-left', { do: 'say-goodbye' }),
  'server.closed': (s, e) => disconnected(e.message),
  'server.error': (s, e) => stay(s, { do: 'warn', code: e.code, text: e.text }),
  'queue.taken': () => ended('Already taken', 'Another technician picked this request first, or it is no longer waiting.'),
};

/**
 * THE table: state × event → next state and effects. An event a state has no entry for is ignored there (a late
 * or duplicate message changes nothing).
 */
export const VIEWER_TRANSITIONS: { [K in Kind]: Row<StateOf<K>> } = {
  idle: {
    'show-form': (s, e) => stay({ kind: 'form', error: e.error }),
    approach,
  },
  form: {
    'show-form': (s, e) => stay({ kind: 'form', error: e.error }),
    approach,
  },
  connecting: {
    ...live,
    'server.unreachable': (s, e) => disconnected(e.message),
    // Refused before getting in (a wrong code or PIN, a busy session): back to the form, with why.
    'server.error': (s, e) => ({ next: { kind: 'form', error: e.text }, effects: [{ do: 'teardown' }] }),
    'join.pending': () => ({ next: { kind: 'waiting' }, effects: [{ do: 'start-decision-timer' }, { do: 'prepare-link' }] }),
    'join.accepted': (s, e) => watch(e.iceServers, false),
    'session.resumed': (s, e) => watch(e.iceServers, true),
  },
  waiting: {
    ...live,
    'join.accepted': (s, e) => watch(e.iceServers, false),
    'session.resumed': (s, e) => watch(e.iceServers, true),
    'decision.timeout': () => ended('No answer', 'The person did not answer in time. Ask them to look at their screen and try again.'),
  },
  watching: {
    ...live,
    // While the link lives, watching carries on without the server.
    'server.closed': (s, e) => (s.link === 'open' ? stay(s) : disconnected(e.message)),
    // The person's app may have closed or crashed: if the link does not answer either, they are gone.
    'peer.away': (s) => (s.link === 'open' ? stay(s, { do: 'probe-link' }) : stay(s)),
    'link.failed': (s, e) => ended('Connection failed', `The connection failed (ICE state: ${e.iceState}).`),
    // Only the host can start a new link. The server's reason (the host ended it) may come just after the close.
    'link.closed': (s, e) =>
      e.serverOnline ? stay({ kind: 'watching', link: 'closed' }, { do: 'await-end-reason' }) : endedFor('host-disconnected'),
    'link.gone': () => endedFor('host-disconnected'),
  },
  ended: {
    'show-form': (s, e) => stay({ kind: 'form', error: e.error }),
  },
};

/** One step of the machine; `undefined` when the state has no entry for the event (ignored). */
export function viewerStep(state: ViewerState, event: ViewerEvent): ViewerStep | undefined {
  const row = VIEWER_TRANSITIONS[state.kind] as Row<ViewerState>;
  const handler = row[event.type] as ((s: ViewerState, e: ViewerEvent) => ViewerStep) | undefined;
  return handler?.(state, event);
}
