import fc from 'fast-check';
import { type ControlMessage, controlMessageSchema } from '../../protocol/control-messages';
import { InputErrorCode } from '../../protocol/error-codes';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostServices } from '../../main/services/host-services';
import type { Injector } from '../../main/services/input/injector';
import { RobotInjector } from '../../main/services/input/robot-injector';
import { contains, type Rect } from '../../main/services/input/surface';
import { X11Connection } from '../../main/services/input/x11-connection';
import { X11WindowSystem } from '../../main/services/input/x11-window-system';
import { XApp } from '../support/x-app';

/** Real robotjs underneath; records what got through so the rules can be checked. */
class RecordingInjector implements Injector {
  readonly positions: Array<{ x: number; y: number }> = [];
  calls = 0;
  constructor(private readonly real: Injector) {}
  moveMouse(x: number, y: number) {
    this.calls++;
    this.positions.push({ x, y });
    this.real.moveMouse(x, y);
  }
  button(b: 'left' | 'middle' | 'right', down: boolean) {
    this.calls++;
    // Only the left button is replayed for real: a right/middle click would open menus in the target window.
    if (b === 'left') this.real.button(b, down);
  }
  scroll() {
    this.calls++;
  }
  key() {
    this.calls++;
  }
  async typeText() {
    this.calls++;
  }
  mousePosition() {
    return this.real.mousePosition();
  }
}

const prompt = { ask: () => undefined, dismiss: () => undefined };
let x11: X11Connection;
let target: XApp;
const windowRect: Rect = { x: 200, y: 150, width: 400, height: 300 };

beforeAll(async () => {
  x11 = await X11Connection.connect();
  target = await XApp.start('color_window.py', { title: 'Fuzz target', color: '#446688', geometry: '400x300+200+150' });
});
afterAll(async () => {
  await target.stop();
  x11.close();
});

const unit = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: -2, max: 3, noNaN: false }),
  fc.constantFrom(0, 1, 1e308, -0),
);
const button = fc.constantFrom('left', 'right', 'middle', 'x');
const mods = fc.record({ ctrl: fc.boolean(), alt: fc.boolean(), shift: fc.boolean(), meta: fc.boolean() });

/** One generator of valid messages per control message type: every `t` the schema knows (checked below). */
const validUnit = fc.double({ min: 0, max: 1, noNaN: true });
const validPoint = { x: validUnit, y: validUnit };
const notch = fc.integer({ min: -20, max: 20 });
const COMBOS = ['ctrl-alt-del', 'super', 'alt-tab', 'alt-f4', 'printscreen', 'ctrl-esc'] as const;
const validByType = {
  move: fc.record({ t: fc.constant('move'), ...validPoint }),
  button: fc.record({ t: fc.constant('button'), button: fc.constantFrom('left', 'right', 'middle'), down: fc.boolean(), ...validPoint }),
  wheel: fc.record({ t: fc.constant('wheel'), dx: notch, dy: notch, ...validPoint }),
  key: fc.record({
    t: fc.constant('key'),
    code: fc.stringMatching(/^[A-Za-z0-9]{0,32}$/),
    key: fc.string({ minLength: 1, maxLength: 32 }),
    down: fc.boolean(),
    mods,
  }),
  combo: fc.record({ t: fc.constant('combo'), combo: fc.constantFrom(...COMBOS) }),
  text: fc.record({ t: fc.constant('text'), text: fc.stringMatching(/^[a-zA-Z0-9 äöü中文é.,:;!?-]{1,256}$/) }),
  'release-all': fc.constant({ t: 'release-all' }),
  keepalive: fc.constant({ t: 'keepalive' }),
  'control.request': fc.constant({ t: 'control.request' }),
  'control.release': fc.constant({ t: 'control.release' }),
} satisfies Record<ControlMessage['t'], fc.Arbitrary<object>>;
const valid = fc.oneof(...Object.values(validByType).map((a) => a as fc.Arbitrary<object>));

/** Valid messages of every type, well-shaped messages with hostile values, extra or missing fields, arbitrary JSON. */
const message = fc.oneof(
  valid,
  fc.record({ t: fc.constant('move'), x: unit, y: unit }),
  fc.record({ t: fc.constant('button'), button, down: fc.boolean(), x: unit, y: unit }),
  fc.record({ t: fc.constant('wheel'), dx: fc.integer({ min: -30, max: 30 }), dy: fc.integer({ min: -30, max: 30 }), x: unit, y: unit }),
  fc.record({ t: fc.constant('key'), code: fc.string({ maxLength: 40 }), key: fc.string({ maxLength: 40 }), down: fc.boolean(), mods }),
  fc.record({
    t: fc.constantFrom('text', 'control.state', 'control.grant'),
    text: fc.string({ maxLength: 300 }),
    state: fc.constant('granted'),
  }),
  fc.record({ t: fc.constant('combo'), combo: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...COMBOS)), extra: fc.anything() }),
  fc.record({ t: fc.constantFrom('control.request', 'release-all') }),
  fc.record({ t: fc.constant('move'), x: unit, y: unit, extra: fc.anything() }),
  fc.anything().map((v) => v as object),
);
const raw = fc.oneof(
  message.map((m) => JSON.stringify(m)),
  fc.string({ maxLength: 3000 }),
  fc.constant('{"t":"move","x":0.5,"y":0.5,"__proto__":{"x":9}}'),
  fc.anything(),
);

function services(injector: Injector) {
  return new HostServices({
    auditPath: join(mkdtempSync(join(tmpdir(), 'peerdesk-fuzz-')), 'audit.jsonl'),
    prompt,
    injector,
    windows: new X11WindowSystem(x11),
    own: { rects: () => [], focused: () => false },
    screens: () => [{ id: '0', bounds: { x: 0, y: 0, width: 1280, height: 800 }, scaleFactor: 1 }],
  });
}

describe('InputService under 10,000+ random and malformed messages (fast-check)', () => {
  it('the generators produce a valid message of every control message type', () => {
    const types = controlMessageSchema.options.map((o) => o.shape.t.value).sort();
    expect(Object.keys(validByType).sort()).toEqual(types);
    for (const [t, arbitrary] of Object.entries(validByType))
      for (const m of fc.sample(arbitrary as fc.Arbitrary<object>, 50))
        expect(controlMessageSchema.safeParse(m), t).toMatchObject({ success: true });
  });

  it('without a grant nothing is injected and nothing reaches granted', async () => {
    const injector = new RecordingInjector(new RobotInjector());
    const host = services(injector);
    host.selectSource('screen:0');
    host.startControlSession('Fuzzer');
    const gated = new Set<string>();
    await fc.assert(
      fc.asyncProperty(raw, async (r) => {
        const result = await host.controlMessage(r);
        // Either refused with a known code, or accepted without injecting anything (a request, a release of nothing).
        if (result.ok) expect(result.injected).toBe(false);
        else expect(Object.values(InputErrorCode)).toContain(result.reason);
        if (!result.ok && result.reason === InputErrorCode.NoConsent) gated.add((JSON.parse(r as string) as { t: string }).t);
        expect(host.consent.current).not.toBe('granted');
      }),
      { numRuns: 6000 },
    );
    expect(injector.calls).toBe(0);
    // Valid messages of every injecting type reached the consent gate and stopped there.
    expect([...gated].sort()).toEqual(['button', 'combo', 'key', 'move', 'text', 'wheel']);
  });

  it('with a grant on a shared window, every injected position is inside that window', async () => {
    const injector = new RecordingInjector(new RobotInjector());
    const host = services(injector);
    host.selectSource(`window:${target.windowId}`);
    host.startControlSession('Fuzzer');
    await host.controlMessage(JSON.stringify({ t: 'control.request' }));
    host.consent.grant();
    await fc.assert(
      fc.asyncProperty(raw, async (r) => {
        await host.controlMessage(r);
        // A valid control.release gives control back: the host grants again, so the run keeps testing confinement.
        if (host.consent.current !== 'granted') {
          await host.controlMessage(JSON.stringify({ t: 'control.request' }));
          host.consent.grant();
        }
      }),
      { numRuns: 6000 },
    );
    expect(injector.positions.length).toBeGreaterThan(100);
    for (const p of injector.positions) expect(contains(windowRect, p.x, p.y)).toBe(true);
    expect(host.input.dropped.get('INPUT_ERR_BAD_MESSAGE')).toBeGreaterThan(100);
  });
});
