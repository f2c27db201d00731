import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../../main/services/audit-log';
import { ConsentService } from '../../../../main/services/consent-service';
import type { Injector } from '../../../../main/services/input/injector';
import { InputService } from '../../../../main/services/input/input-service';
import type { Rect, SharedSurface } from '../../../../main/services/input/surface';
import type { WindowSystem } from '../../../../main/services/input/window-system';

// InputService on its own, with recording stand-ins for robotjs and the window system: exact rules, no X server.
// The same rules against the real X server are in test/e2e/input-never-sticks.test.ts and control-confinement.test.ts.

type Call = [string, ...unknown[]];
const NO_MODS = { ctrl: false, alt: false, shift: false, meta: false };

/** A screen surface at (100, 50), 400×300 logical, scale 2: exact pixels without any window to raise. */
const SCREEN: SharedSurface = {
  kind: 'screen',
  sourceId: 'screen:0:0',
  bounds: { x: 100, y: 50, width: 400, height: 300 },
  scaleFactor: 2,
};
const WINDOW: SharedSurface = { kind: 'window', sourceId: 'window:42:0', windowId: '42', scaleFactor: 1 };

interface SetupOptions {
  coveredTimes?: number;
  heldTimeoutMs?: number;
  granted?: boolean;
  rate?: { perSecond: number; burst: number };
  surface?: SharedSurface;
  own?: Rect[];
  focused?: boolean;
  /** The injector's button presses throw (robotjs lost the display). */
  failing?: boolean;
}

/** An InputService on a shared window (or `surface`), control requested and (unless `granted: false`) granted. */
function setup(options: SetupOptions = {}) {
  const calls: Call[] = [];
  let covered = options.coveredTimes ?? 0;
  const injector: Injector = {
    moveMouse: (x, y) => void calls.push(['move', x, y]),
    button: (b, down) => {
      if (options.failing) throw new Error('robotjs lost the display');
      calls.push(['button', b, down]);
    },
    scroll: (dx, dy) => void calls.push(['scroll', dx, dy]),
    key: (name, down, mods) => void calls.push(['key', name, down, mods]),
    typeText: async (text) => void calls.push(['text', text]),
    mousePosition: () => (calls.push(['sync']), { x: 0, y: 0 }),
  };
  const windows: WindowSystem = {
    windowBounds: async (id) => (id === '42' ? { x: 100, y: 100, width: 500, height: 400 } : undefined),
    raiseWindow: async () => void calls.push(['raise']),
    activeWindow: async () => '42',
    isUnderPointer: async () => (covered-- > 0 ? false : true),
  };
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-input-')), 'audit.jsonl'));
  const consent = new ConsentService(audit, { ask: () => undefined, dismiss: () => undefined });
  const own = { rects: () => options.own ?? [], focused: () => options.focused ?? false };
  const input = new InputService({
    consent,
    injector,
    windows,
    own,
    heldTimeoutMs: options.heldTimeoutMs,
    rate: options.rate,
  });
  input.beginSession('Tina', options.surface ?? WINDOW);
  consent.request();
  if (options.granted !== false) consent.grant();
  calls.length = 0;
  const send = (m: object) => input.handle(JSON.stringify(m));
  return { calls, input, consent, send, windows, own, audit };
}
const key = (code: string, k: string, down: boolean, mods = NO_MODS) => ({ t: 'key', code, key: k, down, mods });

afterEach(() => vi.useRealTimers());

describe('InputService: keys', () => {
  it('a key-up releases exactly what its key-down pressed, whatever modifiers the key-up reports', async () => {
    const { calls, send } = setup();
    await send(key('KeyA', 'a', true, { ...NO_MODS, ctrl: true }));
    await send(key('ControlLeft', 'Control', false));
    await send(key('KeyA', 'a', false));
    expect(calls.filter((c) => c[0] === 'key')).toEqual([
      ['key', 'a', true, ['control']],
      ['key', 'a', false, ['control']],
    ]);
  });

  it('a key-up for a key that was typed as text or never pressed injects nothing', async () => {
    const { calls, send } = setup();
    expect(await send(key('KeyB', 'b', false))).toEqual({ ok: true, injected: false });
    await send(key('KeyQ', '@', true, { ...NO_MODS, ctrl: true, alt: true })); // AltGr on Windows
    await send(key('KeyQ', '@', false, { ...NO_MODS, ctrl: true, alt: true }));
    expect(calls.filter((c) => c[0] !== 'raise')).toEqual([['text', '@']]);
  });

  it('refuses control and bidi characters in text with INPUT_ERR_CONTROL_CHARS', async () => {
    const { calls, send } = setup();
    for (const text of ['\r', 'a\nb', '\u001b', '\u0003', '\u0085', '\u202e', '\u2066', '\u200b'])
      expect(await send({ t: 'text', text })).toMatchObject({ ok: false, reason: 'INPUT_ERR_CONTROL_CHARS' });
    expect(await send({ t: 'text', text: 'ünïcödé 中文' })).toEqual({ ok: true, injected: true });
    expect(calls.filter((c) => c[0] === 'text')).toEqual([['text', 'ünïcödé 中文']]);
  });
});

describe('InputService: pointer confinement', () => {
  it('raises before every press and presses only once the window is under the pointer', async () => {
    const { calls, send } = setup({ coveredTimes: 1 });
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    expect(calls.map((c) => c[0])).toEqual(['raise', 'move', 'sync', 'raise', 'move', 'sync', 'move', 'button']);
  });

  it('drops a press when another window stays on top after raising, and presses nothing', async () => {
    const { calls, send } = setup({ coveredTimes: 99 });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ reason: 'INPUT_ERR_COVERED' });
    expect(calls.some((c) => c[0] === 'button')).toBe(false);
  });

  it('a release always goes through when its press did', async () => {
    const { calls, send } = setup();
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    calls.length = 0;
    expect(await send({ t: 'button', button: 'left', down: false, x: 1, y: 1 })).toEqual({ ok: true, injected: true });
    expect(calls.at(-1)).toEqual(['button', 'left', false]);
  });
});

describe('InputService: the rate limit never keeps anything held', () => {
  it('past the limit presses and moves are dropped, releases still go through', async () => {
    const { calls, send } = setup({ rate: { perSecond: 0.001, burst: 2 } });
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    await send(key('ArrowDown', 'ArrowDown', true));
    expect(await send({ t: 'move', x: 0.2, y: 0.2 })).toMatchObject({ ok: false, reason: 'INPUT_ERR_RATE_LIMITED' });
    calls.length = 0;
    expect(await send({ t: 'button', button: 'left', down: false, x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: true });
    expect(await send(key('ArrowDown', 'ArrowDown', false))).toEqual({ ok: true, injected: true });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ reason: 'INPUT_ERR_RATE_LIMITED' });
    expect(calls.filter((c) => c[0] !== 'move')).toEqual([
      ['button', 'left', false],
      ['key', 'down', false, []],
    ]);
  });
});

describe('InputService: the held-input watchdog', () => {
  it('lets go after the bound of silence while something is held; keepalives hold it', async () => {
    vi.useFakeTimers();
    const { calls, send, input } = setup({ heldTimeoutMs: 3000 });
    await send(key('ArrowDown', 'ArrowDown', true));
    await vi.advanceTimersByTimeAsync(2900);
    await send({ t: 'keepalive' });
    await vi.advanceTimersByTimeAsync(2900);
    expect(input.holding).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(input.holding).toBe(false);
    expect(calls.at(-1)).toEqual(['key', 'down', false, []]);
  });

  it('by default the bound is 3 s: held at 2999 ms of silence, let go at 3000', async () => {
    vi.useFakeTimers();
    const { input, send } = setup();
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(input.holding).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(input.holding).toBe(false);
  });

  it('releases everything when control ends, and a source switch ends control even to an unknown source', async () => {
    const { calls, send, input, consent } = setup();
    await send(key('ShiftLeft', 'Shift', true));
    await send(key('Home', 'Home', true, { ...NO_MODS, shift: true }));
    await send({ t: 'button', button: 'right', down: true, x: 0.2, y: 0.2 });
    input.changeSurface('window:unknown', undefined);
    expect(consent.current).toBe('revoked');
    await send({ t: 'move', x: 0.5, y: 0.5 });
    expect(input.holding).toBe(false);
    expect(calls.slice(-2)).toEqual([
      ['key', 'home', false, ['shift']],
      ['button', 'right', false],
    ]);
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ ok: false });
  });
});

describe('InputService: the consent gate holds for every message that injects', () => {
  const injecting = [
    { t: 'move', x: 0.5, y: 0.5 },
    { t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 },
    { t: 'wheel', dx: 0, dy: 3, x: 0.5, y: 0.5 },
    key('KeyA', 'a', true),
    { t: 'combo', combo: 'ctrl-alt-del' },
    { t: 'combo', combo: 'alt-f4' },
    { t: 'text', text: 'format c:' },
  ];
  const cases = injecting.map((m) => ['combo' in m ? `combo ${m.combo}` : m.t, m] as const);
  it.each(cases)('%s: refused with INPUT_ERR_NO_CONSENT while only requested', async (_, m) => {
    const { calls, send, consent } = setup({ granted: false });
    expect(consent.current).toBe('requested');
    expect(await send(m)).toMatchObject({ ok: false, reason: 'INPUT_ERR_NO_CONSENT' });
    expect(calls).toEqual([]);
  });

  it.each(cases)('%s: refused again once control is revoked', async (_, m) => {
    const { calls, send, consent } = setup();
    consent.revoke('host');
    calls.length = 0;
    expect(await send(m)).toMatchObject({ ok: false, reason: 'INPUT_ERR_NO_CONSENT' });
    expect(calls).toEqual([]);
  });
});

const onScreen = (options: Omit<SetupOptions, 'surface'> = {}) => setup({ ...options, surface: SCREEN });

describe('InputService: the pointer on a shared screen', () => {
  it('maps 0..1 onto the screen’s physical pixels, the far edge onto its last pixel, and raises nothing', async () => {
    const { calls, send } = onScreen();
    expect(await send({ t: 'move', x: 0, y: 0 })).toEqual({ ok: true, injected: true });
    await send({ t: 'move', x: 0.5, y: 0.5 });
    await send({ t: 'move', x: 1, y: 1 });
    expect(calls).toEqual([
      ['move', 200, 100],
      ['move', 600, 400],
      ['move', 999, 699],
    ]);
  });

  it('a wheel moves there, then scrolls by the notches sent', async () => {
    const { calls, send } = onScreen();
    expect(await send({ t: 'wheel', dx: -2, dy: 3, x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['move', 600, 400],
      ['scroll', -2, 3],
    ]);
  });

  it('a press over a PeerDesk window is refused with INPUT_ERR_OWN_WINDOW and counted; elsewhere it goes through', async () => {
    const { calls, send, input } = onScreen({ own: [{ x: 590, y: 390, width: 20, height: 20 }] });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toEqual({
      ok: false,
      reason: 'INPUT_ERR_OWN_WINDOW',
      detail: undefined,
    });
    expect(await send({ t: 'move', x: 0.5, y: 0.5 })).toMatchObject({ reason: 'INPUT_ERR_OWN_WINDOW' });
    expect(calls).toEqual([]);
    expect(input.dropped.get('INPUT_ERR_OWN_WINDOW')).toBe(2);
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.25, y: 0.25 })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['move', 400, 250],
      ['button', 'left', true],
    ]);
    expect(input.holding).toBe(true);
  });

  it('a release goes where it says unless a PeerDesk window is there, and without a position where the pointer is', async () => {
    const { calls, send } = onScreen({ own: [{ x: 590, y: 390, width: 20, height: 20 }] });
    await send({ t: 'button', button: 'left', down: true, x: 0.25, y: 0.25 });
    calls.length = 0;
    expect(await send({ t: 'button', button: 'left', down: false, x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([['button', 'left', false]]);
    await send({ t: 'button', button: 'right', down: true, x: 0.25, y: 0.25 });
    calls.length = 0;
    await send({ t: 'button', button: 'right', down: false, x: 0.75, y: 0.75 });
    expect(calls).toEqual([
      ['move', 800, 550],
      ['button', 'right', false],
    ]);
    await send({ t: 'button', button: 'middle', down: true, x: 0.25, y: 0.25 });
    calls.length = 0;
    expect(await send({ t: 'button', button: 'middle', down: false })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([['button', 'middle', false]]);
  });

  it('a release with half a position stays where the pointer is; over any of several PeerDesk windows too', async () => {
    const own = [
      { x: 0, y: 0, width: 10, height: 10 },
      { x: 590, y: 390, width: 20, height: 20 },
    ];
    const { calls, send } = onScreen({ own });
    for (const release of [{ y: 0.75 }, { x: 0.75 }, { x: 0.5, y: 0.5 }]) {
      await send({ t: 'button', button: 'left', down: true, x: 0.25, y: 0.25 });
      calls.length = 0;
      expect(await send({ t: 'button', button: 'left', down: false, ...release })).toEqual({ ok: true, injected: true });
      expect(calls).toEqual([['button', 'left', false]]);
    }
  });

  it('a release of a button that is not held injects nothing', async () => {
    const { calls, send } = onScreen();
    expect(await send({ t: 'button', button: 'left', down: false, x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: false });
    expect(calls).toEqual([]);
  });

  it('an injector that throws is a coded drop with its message, and the service goes on', async () => {
    const { send, input } = onScreen({ failing: true });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toEqual({
      ok: false,
      reason: 'INPUT_ERR_INJECT_FAILED',
      detail: 'robotjs lost the display',
    });
    expect(input.dropped.get('INPUT_ERR_INJECT_FAILED')).toBe(1);
    expect(await send({ t: 'move', x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: true });
  });
});

describe('InputService: the pointer on a shared window', () => {
  it('a window that is gone (no bounds) drops with INPUT_ERR_NO_SURFACE', async () => {
    const { calls, input, consent, send } = setup();
    input.changeSurface('window:7:0', { kind: 'window', sourceId: 'window:7:0', windowId: '7', scaleFactor: 1 });
    consent.request();
    consent.grant();
    expect(await send({ t: 'move', x: 0.5, y: 0.5 })).toEqual({ ok: false, reason: 'INPUT_ERR_NO_SURFACE', detail: undefined });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ reason: 'INPUT_ERR_NO_SURFACE' });
    expect(calls.filter((c) => c[0] === 'move' || c[0] === 'button')).toEqual([]);
  });

  it('a key after a click does not raise the window again: the click raised it', async () => {
    const { calls, send } = setup();
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    const raises = calls.filter((c) => c[0] === 'raise').length;
    await send(key('KeyA', 'a', true, { ...NO_MODS, ctrl: true }));
    expect(calls.filter((c) => c[0] === 'raise')).toHaveLength(raises);
  });

  it('maps into the window’s bounds; a press raises it and checks up to three times', async () => {
    const { calls, send } = setup({ coveredTimes: 2 });
    expect(await send({ t: 'move', x: 0, y: 0 })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([['move', 100, 100]]);
    calls.length = 0;
    expect(await send({ t: 'button', button: 'left', down: true, x: 1, y: 1 })).toEqual({ ok: true, injected: true });
    expect(calls.filter((c) => c[0] === 'raise')).toHaveLength(3);
    expect(calls.at(-2)).toEqual(['move', 599, 499]);
    expect(calls.at(-1)).toEqual(['button', 'left', true]);
  });

  it('still covered after the third raise: dropped', async () => {
    const { calls, send } = setup({ coveredTimes: 3 });
    expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ reason: 'INPUT_ERR_COVERED' });
    expect(calls.filter((c) => c[0] === 'raise')).toHaveLength(3);
  });

  it('moves read the window’s bounds at most every 100 ms; presses always read them afresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let reads = 0;
    const { input, windows } = setup();
    const bounds = windows.windowBounds.bind(windows);
    windows.windowBounds = async (id) => (reads++, bounds(id));
    const move = () => input.handle(JSON.stringify({ t: 'move', x: 0.5, y: 0.5 }));
    await move();
    await move();
    vi.setSystemTime(Date.now() + 99);
    await move();
    expect(reads).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    await move();
    expect(reads).toBe(2);
    await input.handle(JSON.stringify({ t: 'wheel', dx: 0, dy: 1, x: 0.5, y: 0.5 }));
    expect(reads).toBe(3);
    await move();
    expect(reads).toBe(3);
  });
});

describe('InputService: keys and text', () => {
  it('raises the shared window before the first key, and again only when another window became active', async () => {
    const { calls, send, windows } = setup();
    await send(key('KeyA', 'a', true, { ...NO_MODS, ctrl: true }));
    await send(key('KeyA', 'a', false));
    await send(key('KeyB', 'b', true, { ...NO_MODS, ctrl: true }));
    expect(calls.filter((c) => c[0] === 'raise')).toHaveLength(1);
    windows.activeWindow = async () => '99';
    await send({ t: 'text', text: 'x' });
    expect(calls.filter((c) => c[0] === 'raise')).toHaveLength(2);
  });

  it('on a shared screen no window is raised for keys', async () => {
    const { calls, send } = onScreen();
    await send({ t: 'text', text: 'hello' });
    expect(calls).toEqual([['text', 'hello']]);
  });

  it('while a PeerDesk window has focus, keys, text and combos are refused; releases still go through', async () => {
    const { calls, send, own } = onScreen();
    await send(key('KeyA', 'a', true, { ...NO_MODS, ctrl: true }));
    own.focused = () => true;
    for (const m of [key('KeyB', 'b', true, { ...NO_MODS, ctrl: true }), { t: 'text', text: 'x' }, { t: 'combo', combo: 'alt-tab' }])
      expect(await send(m)).toMatchObject({ ok: false, reason: 'INPUT_ERR_OWN_WINDOW' });
    expect(await send(key('KeyA', 'a', false))).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['key', 'a', true, ['control']],
      ['key', 'a', false, ['control']],
    ]);
  });

  it('a combo is a tap: pressed and released at once, with its modifiers', async () => {
    const { calls, send, input } = onScreen();
    expect(await send({ t: 'combo', combo: 'ctrl-alt-del' })).toEqual({ ok: true, injected: true });
    expect(calls).toEqual([
      ['key', 'delete', true, ['control', 'alt']],
      ['key', 'delete', false, ['control', 'alt']],
    ]);
    expect(input.holding).toBe(false);
  });

  it('a printable key is typed as text; a lone modifier injects nothing; an unmapped or blocked key is refused with its code', async () => {
    const { calls, send } = onScreen();
    expect(await send(key('KeyQ', 'q', true))).toEqual({ ok: true, injected: true });
    expect(await send(key('ShiftLeft', 'Shift', true))).toEqual({ ok: true, injected: false });
    expect(await send(key('Power', 'Power', true))).toEqual({ ok: false, reason: 'INPUT_ERR_UNMAPPED_KEY', detail: 'Power' });
    expect(await send(key('Unidentified', 'Unidentified', true))).toEqual({
      ok: false,
      reason: 'INPUT_ERR_UNMAPPED_KEY',
      detail: 'Unidentified',
    });
    expect(calls).toEqual([['text', 'q']]);
  });

  it('a key with no code is held by its key name, so its release finds it', async () => {
    const { calls, send, input } = onScreen();
    const ctrl = { ...NO_MODS, ctrl: true };
    expect(await send(key('', 'a', true, ctrl))).toEqual({ ok: true, injected: true });
    await send(key('', 'b', true, ctrl));
    expect(input.holding).toBe(true);
    await send(key('', 'a', false));
    await send(key('', 'b', false));
    expect(input.holding).toBe(false);
    expect(calls).toEqual([
      ['key', 'a', true, ['control']],
      ['key', 'b', true, ['control']],
      ['key', 'a', false, ['control']],
      ['key', 'b', false, ['control']],
    ]);
  });
});

describe('InputService: session and control messages', () => {
  it('control.request from the viewer asks the host again after control was given back', async () => {
    const { send, consent } = setup();
    consent.revoke('host');
    expect(await send({ t: 'control.request' })).toEqual({ ok: true, injected: false });
    expect(consent.current).toBe('requested');
  });

  it('control.release is recorded as the viewer’s own', async () => {
    const { send, audit } = setup();
    await send({ t: 'control.release' });
    expect(audit.read().map((e) => [e.event, e.reason])).toContainEqual(['control.revoked', 'released-by-viewer']);
  });

  it('control.request asks the host, control.release gives control back; neither injects', async () => {
    const { send, consent } = setup({ granted: false });
    consent.deny();
    expect(await send({ t: 'control.release' })).toEqual({ ok: true, injected: false });
    expect(consent.current).not.toBe('granted');
    const { send: send2, consent: consent2 } = setup();
    expect(await send2({ t: 'control.release' })).toEqual({ ok: true, injected: false });
    expect(consent2.current).toBe('revoked');
  });

  it('a keepalive injects nothing; release-all says whether it let go of anything', async () => {
    const { calls, send } = onScreen();
    expect(await send({ t: 'keepalive' })).toEqual({ ok: true, injected: false });
    expect(await send({ t: 'release-all' })).toEqual({ ok: true, injected: false });
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    expect(await send({ t: 'release-all' })).toEqual({ ok: true, injected: true });
    expect(calls.at(-1)).toEqual(['button', 'left', false]);
  });

  it('without a surface nothing is injected (INPUT_ERR_NO_SURFACE), and ending the session lets go and forgets it', async () => {
    const { calls, send, input } = onScreen();
    await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 });
    input.endSession('viewer-left');
    expect(await send({ t: 'move', x: 0.5, y: 0.5 })).toMatchObject({ ok: false, reason: 'INPUT_ERR_NO_SURFACE' });
    expect(calls.at(-1)).toEqual(['button', 'left', false]);
    expect(input.holding).toBe(false);
  });

  it('a session on a surface that could not be resolved refuses every injecting message', async () => {
    const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-input-')), 'audit.jsonl'));
    const consent = new ConsentService(audit, { ask: () => undefined, dismiss: () => undefined });
    const calls: Call[] = [];
    const input = new InputService({
      consent,
      injector: { moveMouse: () => void calls.push(['move']) } as unknown as Injector,
      windows: {} as WindowSystem,
      own: { rects: () => [], focused: () => false },
    });
    input.beginSession('Tina', undefined);
    consent.request();
    consent.grant();
    expect(await input.handle(JSON.stringify({ t: 'move', x: 0.5, y: 0.5 }))).toMatchObject({ reason: 'INPUT_ERR_NO_SURFACE' });
    expect(calls).toEqual([]);
  });

  it('by default 800 messages pass at once, and the next is rate-limited; malformed ones are counted by reason', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // no token comes back while the burst is sent
    const { send, input } = onScreen();
    for (let i = 0; i < 800; i++) expect((await send({ t: 'keepalive' })).ok).toBe(true);
    expect(await send({ t: 'keepalive' })).toMatchObject({ ok: false, reason: 'INPUT_ERR_RATE_LIMITED' });
    await input.handle('{');
    await input.handle(42);
    expect(Object.fromEntries(input.dropped)).toEqual({
      INPUT_ERR_RATE_LIMITED: 1,
      INPUT_ERR_BAD_JSON: 1,
      INPUT_ERR_BAD_MESSAGE: 1,
    });
  });

  it('control that stops being granted lets go of what is held', async () => {
    const { calls, send, consent, input } = onScreen();
    await send(key('ShiftLeft', 'Shift', true));
    await send({ t: 'button', button: 'right', down: true, x: 0.5, y: 0.5 });
    consent.revoke('host');
    await expect.poll(() => input.holding).toBe(false);
    expect(calls.at(-1)).toEqual(['button', 'right', false]);
  });
});
