import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HeldKey, HeldInput } from '../../../../main/services/input/held-input';
import type { Injector } from '../../../../main/services/input/injector';

// What the viewer holds down on the host and the watchdog that lets go of it: a recording injector and
// Vitest's fake clock, so "3000 ms of silence" is exact and no test waits for real time.

type Call = [string, ...unknown[]];
const TIMEOUT = 3000;

function setup(options: { failKeyRelease?: boolean } = {}) {
  const calls: Call[] = [];
  const injector: Injector = {
    moveMouse: () => undefined,
    button: (b, down) => void calls.push(['button', b, down]),
    scroll: () => undefined,
    key: (name, down, mods) => {
      if (options.failKeyRelease && !down) throw new Error('X connection lost');
      calls.push(['key', name, down, mods]);
    },
    typeText: async () => undefined,
    mousePosition: () => ({ x: 0, y: 0 }),
  };
  let silences = 0;
  const held = new HeldInput(injector, TIMEOUT, () => void silences++);
  return { calls, held, silences: () => silences };
}
const shift: HeldKey = { name: 'shift', mods: [] };
const home: HeldKey = { name: 'home', mods: ['shift'] };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('HeldInput: what is held', () => {
  it('holds nothing at first, a key alone, a button alone, and nothing once both are released', () => {
    const { held } = setup();
    expect(held.holding).toBe(false);
    held.pressKey('ShiftLeft', shift);
    expect(held.holding).toBe(true);
    held.releaseKey('ShiftLeft');
    expect(held.holding).toBe(false);
    held.pressButton('left');
    expect(held.holding).toBe(true);
    expect(held.hasButton('left')).toBe(true);
    expect(held.hasButton('right')).toBe(false);
    held.releaseButton('left');
    expect(held.holding).toBe(false);
    expect(held.hasButton('left')).toBe(false);
  });

  it('presses and releases the button on the injector', () => {
    const { calls, held } = setup();
    held.pressButton('middle');
    held.releaseButton('middle');
    expect(calls).toEqual([
      ['button', 'middle', true],
      ['button', 'middle', false],
    ]);
  });

  it('a repeat of a held key presses again with what it first pressed; one release fits every press', () => {
    const { calls, held } = setup();
    held.pressKey('KeyA', { name: 'a', mods: ['control'] });
    held.pressKey('KeyA', { name: 'a', mods: [] });
    expect(held.releaseKey('KeyA')).toBe(true);
    expect(calls).toEqual([
      ['key', 'a', true, ['control']],
      ['key', 'a', true, ['control']],
      ['key', 'a', false, ['control']],
    ]);
    expect(held.holding).toBe(false);
  });

  it('a key-up for a code that holds nothing injects nothing and says so', () => {
    const { calls, held } = setup();
    held.pressKey('ShiftLeft', shift);
    calls.length = 0;
    expect(held.releaseKey('KeyB')).toBe(false);
    expect(held.releaseKey('ShiftLeft')).toBe(true);
    expect(held.releaseKey('ShiftLeft')).toBe(false);
    expect(calls).toEqual([['key', 'shift', false, []]]);
  });
});

describe('HeldInput: releaseAll', () => {
  it('lets go of every key with its own modifiers and every button, then holds nothing', () => {
    const { calls, held } = setup();
    held.pressKey('ShiftLeft', shift);
    held.pressKey('Home', home);
    held.pressButton('right');
    calls.length = 0;
    held.releaseAll();
    expect(calls).toEqual([
      ['key', 'shift', false, []],
      ['key', 'home', false, ['shift']],
      ['button', 'right', false],
    ]);
    expect(held.holding).toBe(false);
    calls.length = 0;
    held.releaseAll();
    expect(calls).toEqual([]);
  });

  it('one failed release does not stop the others, and nothing is left counted as held', () => {
    const { calls, held } = setup({ failKeyRelease: true });
    held.pressKey('ShiftLeft', shift);
    held.pressKey('Home', home);
    held.pressButton('left');
    calls.length = 0;
    expect(() => held.releaseAll()).not.toThrow();
    expect(calls).toEqual([['button', 'left', false]]);
    expect(held.holding).toBe(false);
  });
});

describe('HeldInput: the watchdog', () => {
  it('fires after exactly the bound of silence while something is held', () => {
    const { held, silences } = setup();
    held.pressButton('left');
    held.arm();
    vi.advanceTimersByTime(TIMEOUT - 1);
    expect(silences()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(silences()).toBe(1);
  });

  it('arming again does not restart the bound or add a second watchdog', () => {
    const { held, silences } = setup();
    held.pressButton('left');
    held.arm();
    vi.advanceTimersByTime(2000);
    held.arm();
    vi.advanceTimersByTime(1000);
    expect(silences()).toBe(1);
    vi.advanceTimersByTime(4 * TIMEOUT);
    expect(silences()).toBe(1);
  });

  it('a sign of life restarts the bound', () => {
    const { held, silences } = setup();
    held.pressKey('ShiftLeft', shift);
    held.arm();
    vi.advanceTimersByTime(TIMEOUT - 100);
    held.refresh();
    vi.advanceTimersByTime(TIMEOUT - 100);
    expect(silences()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(silences()).toBe(1);
  });

  it('a sign of life while no watchdog runs is harmless (every message is one)', () => {
    const { held, silences } = setup();
    expect(() => held.refresh()).not.toThrow();
    vi.advanceTimersByTime(2 * TIMEOUT);
    expect(silences()).toBe(0);
  });

  it('is not armed while nothing is held, and arming with nothing held stops one that was', () => {
    const { held, silences } = setup();
    held.arm();
    vi.advanceTimersByTime(2 * TIMEOUT);
    expect(silences()).toBe(0);
    held.pressKey('ShiftLeft', shift);
    held.arm();
    held.releaseKey('ShiftLeft');
    held.arm();
    vi.advanceTimersByTime(2 * TIMEOUT);
    expect(silences()).toBe(0);
  });

  it('releaseAll stops it', () => {
    const { held, silences } = setup();
    held.pressButton('left');
    held.arm();
    held.releaseAll();
    vi.advanceTimersByTime(2 * TIMEOUT);
    expect(silences()).toBe(0);
  });

  it('arms afresh after it fired, for the next press', () => {
    const { held, silences } = setup();
    held.pressButton('left');
    held.arm();
    vi.advanceTimersByTime(TIMEOUT);
    expect(silences()).toBe(1);
    held.arm();
    vi.advanceTimersByTime(TIMEOUT);
    expect(silences()).toBe(2);
  });

  it('does not keep the process alive', () => {
    vi.useRealTimers();
    const timers: NodeJS.Timeout[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const timer = real(fn, ms);
      timers.push(timer);
      return timer;
    }) as typeof setTimeout);
    const { held } = setup();
    held.pressButton('left');
    held.arm();
    spy.mockRestore();
    expect(timers).toHaveLength(1);
    expect(timers[0]?.hasRef()).toBe(false);
    held.releaseAll();
  });
});
