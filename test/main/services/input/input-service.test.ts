import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../../main/services/audit-log';
import { ConsentService } from '../../../../main/services/consent-service';
import type { Injector } from '../../../../main/services/input/injector';
import { InputService } from '../../../../main/services/input/input-service';
import type { WindowSystem } from '../../../../main/services/input/window-system';

// InputService on its own, with recording stand-ins for robotjs and the window system: exact rules, no X server.
// The same rules against the real X server are in test/e2e/input-never-sticks.test.ts and control-confinement.test.ts.

type Call = [string, ...unknown[]];
const NO_MODS = { ctrl: false, alt: false, shift: false, meta: false };

function setup(
  options: { coveredTimes?: number; heldTimeoutMs?: number; granted?: boolean; rate?: { perSecond: number; burst: number } } = {},
) {
  const calls: Call[] = [];
  let covered = options.coveredTimes ?? 0;
  const injector: Injector = {
    moveMouse: (x, y) => void calls.push(['move', x, y]),
    button: (b, down) => void calls.push(['button', b, down]),
    scroll: (dx, dy) => void calls.push(['scroll', dx, dy]),
    key: (name, down, mods) => void calls.push(['key', name, down, mods]),
    typeText: async (text) => void calls.push(['text', text]),
    mousePosition: () => (calls.push(['sync']), { x: 0, y: 0 }),
  };
  const windows: WindowSystem = {
    windowBounds: async () => ({ x: 100, y: 100, width: 500, height: 400 }),
    raiseWindow: async () => void calls.push(['raise']),
    activeWindow: async () => '42',
    isUnderPointer: async () => (covered-- > 0 ? false : true),
  };
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-input-')), 'audit.jsonl'));
  const consent = new ConsentService(audit, { ask: () => undefined, dismiss: () => undefined });
  const input = new InputService({
    consent,
    injector,
    windows,
    own: { rects: () => [], focused: () => false },
    heldTimeoutMs: options.heldTimeoutMs,
    rate: options.rate,
  });
  input.beginSession('Tina', { kind: 'window', sourceId: 'window:42:0', windowId: '42', scaleFactor: 1 });
  consent.request();
  if (options.granted !== false) consent.grant();
  calls.length = 0;
  const send = (m: object) => input.handle(JSON.stringify(m));
  return { calls, input, consent, send };
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
