import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostServices } from '../../../../main/services/host-services';
import { RobotInjector } from '../../../../main/services/input/robot-injector';
import { X11Connection } from '../../../../main/services/input/x11-connection';
import { X11WindowSystem } from '../../../../main/services/input/x11-window-system';
import { heldButtons } from '../../../support/x-state';

// A release must always release, whatever its position says, and the far edge of the shared screen is reachable:
// real robotjs on the test's Xvfb (1280×800), the X server's own QueryPointer and `xdotool` as witnesses. Those
// ask on connections of their own, which nothing orders after robotjs's, hence the polls.

let x11: X11Connection;
beforeAll(async () => {
  x11 = await X11Connection.connect();
});
afterAll(() => x11.close());

/** The pointer's position as the X server reports it. */
function pointer(): { x: number; y: number } {
  const out = execFileSync('xdotool', ['getmouselocation', '--shell'], { encoding: 'utf8' });
  return { x: Number(/X=(\d+)/.exec(out)?.[1]), y: Number(/Y=(\d+)/.exec(out)?.[1]) };
}

let host: HostServices | undefined;
afterEach(async () => {
  host?.endControlSession();
  host = undefined;
  await expect.poll(() => heldButtons(x11)).toEqual([]);
});

async function grantedOnScreen(): Promise<HostServices> {
  host = new HostServices({
    auditPath: join(mkdtempSync(join(tmpdir(), 'peerdesk-release-')), 'audit.jsonl'),
    prompt: { ask: () => undefined, dismiss: () => undefined },
    injector: new RobotInjector(),
    windows: new X11WindowSystem(x11),
    own: { rects: () => [], focused: () => false },
    screens: () => [{ id: '0', bounds: { x: 0, y: 0, width: 1280, height: 800 }, scaleFactor: 1 }],
  });
  host.selectSource('screen:0:0');
  host.startControlSession('Tina');
  await host.controlMessage(JSON.stringify({ t: 'control.request' }));
  host.consent.grant();
  return host;
}
const send = (h: HostServices, m: object) => h.controlMessage(JSON.stringify(m));

describe('a button release off the surface still releases (real robotjs, real X)', () => {
  it.each([
    ['x: 1.5', { x: 1.5, y: 0.5 }, { x: 1279, y: 400 }],
    ['negative', { x: -3, y: -0.25 }, { x: 0, y: 0 }],
    ['1e999 (Infinity)', { x: '§1e999', y: 0.5 }, { x: 1279, y: 400 }],
  ])('%s: the button comes up and the pointer is clamped onto the edge', async (_, position, expected) => {
    const h = await grantedOnScreen();
    expect(await send(h, { t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toEqual({ ok: true, injected: true });
    await expect.poll(() => heldButtons(x11)).toEqual([1]);
    const raw = JSON.stringify({ t: 'button', button: 'left', down: false, ...position }).replace('"§1e999"', '1e999');
    expect(await h.controlMessage(raw)).toEqual({ ok: true, injected: true });
    await expect.poll(() => heldButtons(x11)).toEqual([]);
    await expect.poll(pointer).toEqual(expected);
    expect(h.input.holding).toBe(false);
  });

  it('a position that is no number: released where the pointer is', async () => {
    const h = await grantedOnScreen();
    await send(h, { t: 'button', button: 'left', down: true, x: 0.25, y: 0.25 });
    expect(await send(h, { t: 'button', button: 'left', down: false, x: 'far', extra: true })).toEqual({ ok: true, injected: true });
    await expect.poll(() => heldButtons(x11)).toEqual([]);
    await expect.poll(pointer).toEqual({ x: 320, y: 200 });
  });

  it('a press off the surface is still refused, not clamped', async () => {
    const h = await grantedOnScreen();
    expect(await send(h, { t: 'button', button: 'left', down: true, x: 1.5, y: 0.5 })).toMatchObject({
      ok: false,
      reason: 'INPUT_ERR_BAD_MESSAGE',
    });
    await expect.poll(() => heldButtons(x11)).toEqual([]);
  });

  it('the last pixel row and column of the shared screen are reachable', async () => {
    const h = await grantedOnScreen();
    await send(h, { t: 'move', x: 1, y: 1 });
    await expect.poll(pointer).toEqual({ x: 1279, y: 799 });
  });
});
