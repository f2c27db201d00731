import { afterAll, describe, expect, it } from 'vitest';
import { VIEWER_TRANSITIONS, type ViewerEvent, type ViewerState, viewerStep } from '../../../renderer/viewer/viewer-session-machine';

const ice = [{ urls: 'stun:127.0.0.1:3478' }];
const details = { code: '123456789', pin: '123456', name: 'Tina' };
const S = {
  idle: { kind: 'idle' },
  form: { kind: 'form' },
  connecting: { kind: 'connecting', via: 'join' },
  waiting: { kind: 'waiting' },
  watching: { kind: 'watching', link: 'open' },
  closing: { kind: 'watching', link: 'closed' },
  ended: { kind: 'ended', title: 'Session ended', message: 'You left the session.' },
} satisfies Record<string, ViewerState>;

const covered = new Set<string>();
function step(state: ViewerState, event: ViewerEvent) {
  const result = viewerStep(state, event);
  if (result) covered.add(`${state.kind} × ${event.type}`);
  return result;
}
const effects = (state: ViewerState, event: ViewerEvent) => step(state, event)?.effects.map((e) => e.do);

describe('viewer session: getting in', () => {
  it.each([S.idle, S.form, S.ended])('$kind: the form shows, with why the last try failed', (state) => {
    expect(step(state, { type: 'show-form', error: 'wrong PIN' })?.next).toEqual({ kind: 'form', error: 'wrong PIN' });
  });

  it.each([S.idle, S.form])('$kind: join, pick or resume opens the server', (state) => {
    const approach = { via: 'join', details } as const;
    expect(step(state, { type: 'approach', approach })).toEqual({
      next: { kind: 'connecting', via: 'join' },
      effects: [{ do: 'open-server', approach }],
    });
  });

  it('a server refusal while connecting goes back to the form with its words', () => {
    const result = step(S.connecting, { type: 'server.error', code: 'SIG_ERR_JOIN_FAILED', text: 'That code or PIN is not right' });
    expect(result).toEqual({ next: { kind: 'form', error: 'That code or PIN is not right' }, effects: [{ do: 'teardown' }] });
  });

  it('unreachable: disconnected, torn down with the log line', () => {
    expect(step(S.connecting, { type: 'server.unreachable', message: 'no route' })).toEqual({
      next: { kind: 'ended', title: 'Disconnected', message: 'no route' },
      effects: [{ do: 'teardown', record: 'no route' }],
    });
  });

  it('pending: waiting, with the decision timer and the link made ready; no answer in time ends it', () => {
    expect(step(S.connecting, { type: 'join.pending' })).toEqual({
      next: S.waiting,
      effects: [{ do: 'start-decision-timer' }, { do: 'prepare-link' }],
    });
    expect(step(S.waiting, { type: 'decision.timeout' })?.next).toMatchObject({ kind: 'ended', title: 'No answer' });
  });

  it.each([S.connecting, S.waiting])('$kind: accepted (or resumed): watching on a new link', (state) => {
    expect(step(state, { type: 'join.accepted', iceServers: ice })).toEqual({
      next: S.watching,
      effects: [{ do: 'clear-decision-timer' }, { do: 'start-log', rejoined: false }, { do: 'connect-peer', iceServers: ice }],
    });
    expect(step(state, { type: 'session.resumed', iceServers: ice })?.effects).toContainEqual({ do: 'start-log', rejoined: true });
  });

  it('a resume while already watching changes nothing (the live link stays)', () => {
    expect(step(S.watching, { type: 'session.resumed', iceServers: ice })).toBeUndefined();
    expect(step(S.watching, { type: 'join.accepted', iceServers: ice })).toBeUndefined();
  });
});

describe('viewer session: under way (connecting, waiting, watching)', () => {
  const live = [S.connecting, S.waiting, S.watching];

  it.each(live)('$kind: the end, with the card for its reason', (state) => {
    expect(step(state, { type: 'ended', reason: 'denied' })).toEqual({
      next: { kind: 'ended', title: 'Request declined', message: 'The person declined your request.' },
      effects: [{ do: 'teardown', record: 'The person declined your request.' }],
    });
  });

  it.each(live)('$kind: Leave says goodbye, then tears down', (state) => {
    expect(effects(state, { type: 'leave' })).toEqual(['say-goodbye', 'teardown']);
    expect(step(state, { type: 'leave' })?.next).toMatchObject({ kind: 'ended', message: 'You left the session.' });
  });

  it.each(live)('$kind: a request picked by someone else first', (state) => {
    expect(step(state, { type: 'queue.taken' })?.next).toMatchObject({ kind: 'ended', title: 'Already taken' });
  });

  it.each([S.waiting, S.watching])('$kind: a later server error is only warned of', (state) => {
    expect(effects(state, { type: 'server.error', code: 'SIG_ERR_X', text: 'x' })).toEqual(['warn']);
  });

  it.each([S.connecting, S.waiting])('$kind: the server gone ends it', (state) => {
    expect(step(state, { type: 'server.closed', message: 'lost' })?.next).toMatchObject({ kind: 'ended', title: 'Disconnected' });
  });
});

describe('viewer session: watching', () => {
  it('the live link carries on without the server; a closed one does not', () => {
    expect(step(S.watching, { type: 'server.closed', message: 'lost' })?.next).toBe(S.watching);
    expect(step(S.closing, { type: 'server.closed', message: 'lost' })?.next).toMatchObject({ kind: 'ended' });
  });

  it('peer.away probes the live link; silence is the end', () => {
    expect(effects(S.watching, { type: 'peer.away' })).toEqual(['probe-link']);
    expect(effects(S.closing, { type: 'peer.away' })).toEqual([]);
    expect(step(S.watching, { type: 'link.gone' })?.next).toMatchObject({ kind: 'ended', title: 'Disconnected' });
  });

  it('the link closed: the server’s reason is awaited while it is online, else disconnected at once', () => {
    expect(step(S.watching, { type: 'link.closed', serverOnline: true })).toEqual({
      next: S.closing,
      effects: [{ do: 'await-end-reason' }],
    });
    expect(step(S.watching, { type: 'link.closed', serverOnline: false })?.next).toMatchObject({
      message: 'The person you were helping disconnected.',
    });
    // The host's reason arrives within the wait: it wins.
    expect(step(S.closing, { type: 'ended', reason: 'host-left' })?.next).toMatchObject({ title: 'Session ended' });
  });

  it('a failed link: "Connection failed" with the ICE state', () => {
    expect(step(S.watching, { type: 'link.failed', iceState: 'failed' })?.next).toEqual({
      kind: 'ended',
      title: 'Connection failed',
      message: 'The connection failed (ICE state: failed).',
    });
  });

  it('the end card ignores late news', () => {
    for (const event of [{ type: 'link.gone' }, { type: 'leave' }, { type: 'ended', reason: 'host-left' }] as ViewerEvent[])
      expect(viewerStep(S.ended, event)).toBeUndefined();
  });
});

afterAll(() => {
  const table = Object.entries(VIEWER_TRANSITIONS).flatMap(([kind, row]) => Object.keys(row).map((type) => `${kind} × ${type}`));
  // A transition added to the table without a test here fails the suite.
  expect(table.filter((entry) => !covered.has(entry))).toEqual([]);
});
