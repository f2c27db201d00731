import { afterAll, describe, expect, it } from 'vitest';
import {
  HOST_TRANSITIONS,
  type HostEffect,
  type HostEvent,
  type HostState,
  hostStep,
  hostView,
  type JoinRequest,
  type Viewer,
} from '../../../renderer/host/host-session-machine';

const session = { code: '123456789', pin: '1234', inviteUrl: 'https://peerdesk.test/j/123456789' };
const request: JoinRequest = { type: 'join.request', requestId: 'r1', name: 'Alex', iceServers: [] };
const viewer: Viewer = { requestId: 'r1', name: 'Alex', allowedAt: 1000 };
const ice = [{ urls: 'stun:127.0.0.1:3478' }];

const S = {
  idle: { kind: 'idle' },
  connecting: { kind: 'connecting' },
  ready: { kind: 'ready', session },
  prompt: { kind: 'prompt', session, request },
  startingDesktop: { kind: 'starting', session, viewer, admitted: true, link: 'none' },
  startingBrowser: { kind: 'starting', session, viewer, admitted: false, link: 'none' },
  sharing: { kind: 'sharing', session, viewer, link: 'up', control: 'none' },
  controlled: { kind: 'sharing', session, viewer, link: 'up', control: 'granted' },
  interrupted: { kind: 'interrupted', session, viewer },
  ended: { kind: 'ended', opened: true, message: 'You ended the session.' },
} satisfies Record<string, HostState>;

const covered = new Set<string>();
/** One step, recorded: the last test checks every entry of the table was exercised. */
function step(state: HostState, event: HostEvent) {
  const result = hostStep(state, event);
  if (result) covered.add(`${state.kind} × ${event.type}`);
  return result;
}
const effects = (state: HostState, event: HostEvent) => step(state, event)?.effects.map((e) => e.do);
const has = (list: HostEffect[] | undefined, effect: HostEffect) => expect(list).toContainEqual(effect);

describe('host session: opening', () => {
  it('start opens the server, from the first screen and from the end card', () => {
    expect(step(S.idle, { type: 'start' })).toEqual({ next: { kind: 'connecting' }, effects: [{ do: 'open-server' }] });
    expect(step(S.ended, { type: 'start' })?.next).toEqual({ kind: 'connecting' });
  });

  it('the server gives a code: ready', () => {
    expect(step(S.connecting, { type: 'opened', session })?.next).toEqual({ kind: 'ready', session });
  });

  it.each<HostEvent>([
    { type: 'server.unreachable', message: 'no route' },
    { type: 'server.closed', message: 'no route' },
    { type: 'server.error', code: 'SIG_ERR_RATE', message: 'no route' },
  ])('refused before a code ($type): "could not start", torn down', (event) => {
    const result = step(S.connecting, event);
    expect(result?.next).toEqual({ kind: 'ended', opened: false, message: 'no route' });
    expect(result?.effects).toEqual([{ do: 'teardown', message: 'no route' }]);
  });

  it('a session the server ends before its code arrives did not start', () => {
    expect(step(S.connecting, { type: 'session.ended', reason: 'server-shutdown' })?.next).toMatchObject({ kind: 'ended', opened: false });
  });
});

describe('host session: the prompt', () => {
  it('a request shows the prompt and prepares a link only once it is painted', () => {
    const result = step(S.ready, { type: 'join.requested', request });
    expect(result?.next).toEqual({ kind: 'prompt', session, request });
    has(result?.effects, { do: 'prepare-link-after-paint', requestId: 'r1' });
    expect(effects(S.prompt, { type: 'prompt.painted', requestId: 'r1' })).toEqual(['prepare-link']);
  });

  it('a paint that comes after the decision or for another request prepares nothing', () => {
    expect(effects(S.prompt, { type: 'prompt.painted', requestId: 'other' })).toEqual([]);
    expect(step(S.startingDesktop, { type: 'prompt.painted', requestId: 'r1' })).toBeUndefined();
    expect(step(S.ready, { type: 'prompt.painted', requestId: 'r1' })).toBeUndefined();
  });

  it('"only verified": a refused request is declined, logged and reported to the audit trail, never a prompt', () => {
    const result = step(S.ready, { type: 'join.requested', request, refusal: 'Alex is not verified' });
    expect(result?.next).toEqual({ kind: 'ready', session, notice: 'Alex is not verified' });
    has(result?.effects, { do: 'decline', requestId: 'r1' });
    expect(effects(S.prompt, { type: 'join.requested', request: { ...request, requestId: 'r2' }, refusal: 'no' })).toEqual([
      'decline',
      'log',
      'report-refusal',
    ]);
    has(result?.effects, { do: 'report-refusal', request });
    expect(step(S.startingDesktop, { type: 'join.requested', request, refusal: 'no' })?.next).toBe(S.startingDesktop);
  });

  it('a new request replaces the open prompt (and an unanswered start)', () => {
    const other = { ...request, requestId: 'r2' };
    expect(step(S.prompt, { type: 'join.requested', request: other })?.next).toEqual({ kind: 'prompt', session, request: other });
    expect(step(S.startingBrowser, { type: 'join.requested', request: other })?.next).toMatchObject({ kind: 'prompt' });
  });

  it('Allow in the desktop app admits at once; in a browser only once the capture runs', () => {
    const desktop = step(S.prompt, { type: 'allow', at: 1000, admitEarly: true });
    expect(desktop?.next).toEqual(S.startingDesktop);
    expect(desktop?.effects).toEqual([
      { do: 'start-capture', requestId: 'r1' },
      { do: 'admit', requestId: 'r1' },
    ]);
    const browser = step(S.prompt, { type: 'allow', at: 1000, admitEarly: false });
    expect(browser?.next).toEqual(S.startingBrowser);
    expect(browser?.effects).toEqual([{ do: 'start-capture', requestId: 'r1' }]);
  });

  it('Deny declines with the "keep my request" choice and drops the prepared link and the live preview', () => {
    const result = step(S.prompt, { type: 'deny', requeue: true });
    expect(result?.next).toEqual({ kind: 'ready', session, notice: 'You declined the request.' });
    expect(result?.effects).toEqual([{ do: 'decline', requestId: 'r1', requeue: true }, { do: 'discard-prepared' }, { do: 'drop-warm' }]);
  });

  it("a new request stops the last prompt's preview before its own is shown", () => {
    const other = { ...request, requestId: 'r2' };
    for (const from of [S.ready, S.prompt, S.startingBrowser])
      expect(effects(from, { type: 'join.requested', request: other })).toEqual([
        'discard-prepared',
        'drop-warm',
        'prepare-link-after-paint',
        'repaint',
      ]);
  });

  it('the preview stops whenever the prompt goes without Allow: the technician leaves, the session ends, Stop', () => {
    expect(effects(S.prompt, { type: 'peer.left', serverLost: false })).toContain('stop-sharing');
    expect(effects(S.prompt, { type: 'session.ended', reason: 'host-left' })).toContain('teardown');
    expect(effects(S.prompt, { type: 'stop' })).toContain('teardown');
    expect(effects(S.prompt, { type: 'server.closed', message: 'gone' })).toContain('teardown');
  });
});

describe('host session: starting the capture', () => {
  it('the capture runs: sharing; a browser admits now', () => {
    const started = { type: 'capture.started', requestId: 'r1', label: 'Screen 1' } as const;
    expect(effects(S.startingDesktop, started)).toEqual(['use-capture', 'repaint']);
    const browser = step(S.startingBrowser, started);
    expect(browser?.next).toEqual({ kind: 'sharing', session, viewer, link: 'none', control: 'none' });
    expect(browser?.effects.map((e) => e.do)).toEqual(['use-capture', 'admit', 'repaint']);
  });

  it('a capture for a request no longer asked for is stopped, whatever the state', () => {
    const stale = { type: 'capture.started', requestId: 'old', label: 'Screen 1' } as const;
    expect(effects(S.startingDesktop, stale)).toEqual(['drop-capture']);
    for (const state of [S.ready, S.prompt, S.sharing, S.interrupted]) expect(effects(state, stale)).toEqual(['drop-capture']);
  });

  it('a cancelled browser picker is a refusal', () => {
    const result = step(S.startingBrowser, { type: 'capture.failed', requestId: 'r1', cancelled: true, why: 'x', requeue: false });
    expect(result?.next).toMatchObject({ kind: 'ready', notice: 'Sharing was cancelled, so the request was declined.' });
    has(result?.effects, { do: 'decline', requestId: 'r1', requeue: false });
  });

  it('a failed capture after admission ends the session and tells the technician why', () => {
    const result = step(S.startingDesktop, { type: 'capture.failed', requestId: 'r1', cancelled: false, why: 'No screen.' });
    expect(result?.next).toEqual({ kind: 'ended', opened: true, message: 'No screen.' });
    expect(result?.effects).toEqual([
      { do: 'say-goodbye', reason: 'capture-failed' },
      { do: 'teardown', message: 'No screen.' },
    ]);
  });

  it('a failed capture before admission declines as a technical problem', () => {
    const result = step(S.startingBrowser, { type: 'capture.failed', requestId: 'r1', cancelled: false, why: 'No screen.' });
    expect(result?.next).toMatchObject({ kind: 'ready', notice: expect.stringContaining('technical problem') });
    has(result?.effects, { do: 'decline', requestId: 'r1', reason: 'capture-failed' });
    expect(step(S.startingBrowser, { type: 'capture.failed', requestId: 'old', cancelled: false, why: '' })?.next).toBe(S.startingBrowser);
  });

  it('admitted while the capture starts: the link is made, the joined line dated at Allow', () => {
    const result = step(S.startingDesktop, { type: 'peer.admitted', requestId: 'r1', name: 'Alex', iceServers: ice });
    expect(result?.next).toMatchObject({ kind: 'starting', link: 'connecting' });
    expect(result?.effects[0]).toMatchObject({ do: 'log', kind: 'joined', at: 1000 });
    has(result?.effects, { do: 'connect-peer', iceServers: ice, requestId: 'r1' });
    const connecting = result!.next;
    expect(step(connecting, { type: 'link.connected' })?.effects.map((e) => e.do)).toEqual(['attach-tools', 'announce-screens']);
    expect(effects(connecting, { type: 'peer.away' })).toEqual(['probe-link']);
    expect(effects(S.startingDesktop, { type: 'peer.away' })).toEqual([]);
  });

  it('the link lost before anything is shared: dropped, no grace timer; with the server gone, the end', () => {
    const connecting: HostState = { ...S.startingDesktop, link: 'up' };
    const result = step(connecting, { type: 'link.lost', serverLost: false });
    expect(result?.next).toMatchObject({ kind: 'starting', link: 'none' });
    expect(result?.effects).toEqual([{ do: 'end-control' }, { do: 'drop-link' }]);
    expect(step(connecting, { type: 'link.lost', serverLost: true })?.next).toMatchObject({ kind: 'ended' });
  });

  it('the server going away ends a start with no link, not one with a link', () => {
    expect(step(S.startingDesktop, { type: 'server.closed', message: 'gone' })?.next).toMatchObject({ kind: 'ended' });
    const linked: HostState = { ...S.startingDesktop, link: 'connecting' };
    expect(step(linked, { type: 'server.closed', message: 'gone' })?.next).toBe(linked);
  });
});

describe('host session: sharing', () => {
  it('admitted after a browser capture: the link is made', () => {
    const waiting: HostState = { ...S.sharing, link: 'none' };
    const result = step(waiting, { type: 'peer.admitted', requestId: 'r1', name: 'Alex', iceServers: ice });
    expect(result?.next).toMatchObject({ kind: 'sharing', link: 'connecting' });
    has(result?.effects, { do: 'connect-peer', iceServers: ice, requestId: 'r1' });
  });

  it('the link is up: control and the toolkit attach, the screen list goes out', () => {
    const result = step({ ...S.sharing, link: 'connecting' }, { type: 'link.connected' });
    expect(result?.next).toMatchObject({ link: 'up', control: 'none' });
    expect(result?.effects.map((e) => e.do)).toEqual(['attach-tools', 'announce-screens', 'repaint']);
  });

  it("main's control decisions are kept in the state", () => {
    expect(step(S.sharing, { type: 'control.changed', state: 'granted' })?.next).toEqual(S.controlled);
  });

  it('peer gone while control is granted: control revoked, inputs released, link dropped, interrupted with a grace timer', () => {
    const result = step(S.controlled, { type: 'link.lost', serverLost: false });
    expect(result?.next).toEqual({ kind: 'interrupted', session, viewer });
    expect(result?.effects).toEqual([{ do: 'end-control' }, { do: 'drop-link' }, { do: 'start-grace-timer' }]);
  });

  it('peer gone and the server gone too: the end, torn down', () => {
    const result = step(S.controlled, { type: 'link.lost', serverLost: true });
    expect(result?.next).toEqual({ kind: 'ended', opened: true, message: 'The connection to your technician was lost.' });
    expect(result?.effects.map((e) => e.do)).toEqual(['teardown']);
  });

  it('peer.away: the link is probed; without a link, nothing', () => {
    expect(effects(S.sharing, { type: 'peer.away' })).toEqual(['probe-link']);
    expect(effects({ ...S.sharing, link: 'none' }, { type: 'peer.away' })).toEqual([]);
  });

  it('the technician left: sharing stops, the code stays (unless the server forgot the session)', () => {
    const result = step(S.controlled, { type: 'peer.left', serverLost: false });
    expect(result?.next).toMatchObject({ kind: 'ready', notice: expect.stringContaining('Your technician left') });
    expect(result?.effects).toEqual([{ do: 'stop-sharing' }]);
    expect(step(S.controlled, { type: 'peer.left', serverLost: true })?.next).toMatchObject({ kind: 'ended' });
  });

  it('a reload (peer.back renew): a new link, control not carried over', () => {
    const result = step(S.controlled, { type: 'peer.back', renew: true, iceServers: ice });
    expect(result?.next).toEqual({ kind: 'sharing', session, viewer, link: 'connecting', control: 'none' });
    expect(result?.effects.map((e) => e.do)).toEqual(['clear-grace-timer', 'log', 'end-control', 'drop-link', 'connect-peer']);
    expect(effects(S.controlled, { type: 'peer.back', renew: false, iceServers: ice })).toEqual([]);
  });

  it('while a link lives, the session outlives the server', () => {
    expect(step(S.sharing, { type: 'server.closed', message: 'gone' })?.next).toBe(S.sharing);
    expect(step({ ...S.sharing, link: 'none' }, { type: 'server.closed', message: 'gone' })?.next).toMatchObject({ kind: 'ended' });
  });

  it('a switched source ends a recording, repaints and announces the screens; a cancelled switch keeps it', () => {
    expect(step(S.sharing, { type: 'source.switched' })?.effects).toEqual([
      { do: 'end-recording', reason: 'source-switched' },
      { do: 'repaint' },
      { do: 'announce-screens' },
    ]);
    expect(effects(S.sharing, { type: 'source.switched', changed: false })).toEqual(['repaint', 'announce-screens']);
  });

  it('control taken back ends a recording; control granted does not', () => {
    expect(step(S.controlled, { type: 'control.changed', state: 'revoked' })?.effects).toEqual([
      { do: 'end-recording', reason: 'revoked' },
    ]);
    expect(effects(S.sharing, { type: 'control.changed', state: 'granted' })).toEqual([]);
  });

  it('a switched source is nothing before sharing', () => {
    expect(step(S.prompt, { type: 'source.switched' })).toBeUndefined();
  });
});

describe('host session: interrupted', () => {
  it('the technician comes back: a new link, the grace timer cleared', () => {
    const result = step(S.interrupted, { type: 'peer.back', renew: true, iceServers: ice });
    expect(result?.next).toMatchObject({ kind: 'sharing', link: 'connecting', control: 'none' });
    expect(result?.effects[0]).toEqual({ do: 'clear-grace-timer' });
  });

  it('the grace period runs out: sharing stops, the code stays', () => {
    const result = step(S.interrupted, { type: 'grace.expired' });
    expect(result?.next).toEqual({ kind: 'ready', session, notice: 'The connection to your technician was lost.' });
    expect(result?.effects).toEqual([{ do: 'stop-sharing' }]);
  });

  it('no link to probe or lose; the server going away ends it', () => {
    expect(step(S.interrupted, { type: 'peer.away' })).toBeUndefined();
    expect(step(S.interrupted, { type: 'link.lost', serverLost: false })).toBeUndefined();
    expect(step(S.interrupted, { type: 'server.closed', message: 'gone' })?.next).toMatchObject({ kind: 'ended', opened: true });
  });
});

describe('host session: what every state with a code does', () => {
  const opened = [S.ready, S.prompt, S.startingDesktop, S.sharing, S.interrupted];

  it.each(opened)('$kind: Stop ends any recording, says goodbye, then tears down', (state) => {
    const result = step(state, { type: 'stop' });
    expect(result?.next).toEqual({ kind: 'ended', opened: true, message: 'You ended the session.' });
    expect(result?.effects).toEqual([
      { do: 'end-recording', reason: 'session-ended' },
      { do: 'say-goodbye' },
      { do: 'teardown', message: 'You ended the session.' },
    ]);
  });

  it.each(opened)('$kind: the server ends the session with its reason', (state) => {
    expect(step(state, { type: 'session.ended', reason: 'expired' })?.next).toEqual({
      kind: 'ended',
      opened: true,
      message: 'Your session code expired because nobody used it.',
    });
  });

  it.each(opened)('$kind: wrong PINs are logged and shown; the PIN refreshes; errors are only warned of', (state) => {
    expect(effects(state, { type: 'join.failed', attempts: 2, max: 5 })).toEqual(['log', 'show-failed-joins']);
    const pin = step(state, { type: 'pin.changed', pin: '9999', inviteUrl: 'u' });
    expect(pin?.next).toMatchObject({ kind: state.kind, session: { pin: '9999', inviteUrl: 'u' } });
    expect(effects(state, { type: 'server.error', code: 'SIG_ERR_X', message: 'm' })).toEqual(['warn']);
    expect(effects(state, { type: 'peer.left', serverLost: false })).toEqual(['stop-sharing']);
  });

  it.each([S.ready, S.prompt])('$kind: no link, so the server going away ends the session', (state) => {
    expect(step(state, { type: 'server.closed', message: 'gone' })?.next).toEqual({ kind: 'ended', opened: true, message: 'gone' });
  });

  it('the ended screen ignores everything but a new start', () => {
    const late: HostEvent[] = [
      { type: 'stop' },
      { type: 'peer.left', serverLost: false },
      { type: 'link.lost', serverLost: false },
      { type: 'capture.started', requestId: 'r1', label: 'x' },
      { type: 'server.closed', message: 'x' },
    ];
    for (const event of late) expect(hostStep(S.ended, event)).toBeUndefined();
  });
});

describe('host session: views', () => {
  it('each state names its view; Allow in a browser keeps the prompt up until the capture runs', () => {
    expect(hostView(S.idle)).toBeUndefined();
    expect(hostView(S.startingBrowser)).toBe('prompt');
    expect(hostView(S.startingDesktop)).toBe('connecting-peer');
    expect(hostView({ ...S.startingBrowser, link: 'connecting' })).toBe('connecting-peer');
    expect(hostView(S.controlled)).toBe('sharing');
  });
});

afterAll(() => {
  const table = Object.entries(HOST_TRANSITIONS).flatMap(([kind, row]) => Object.keys(row).map((type) => `${kind} × ${type}`));
  const untested = table.filter((entry) => !covered.has(entry));
  // A transition added to the table without a test here fails the suite.
  expect(untested).toEqual([]);
});
