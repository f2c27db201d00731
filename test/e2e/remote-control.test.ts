import { execFileSync } from 'node:child_process';
import robot from 'robotjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { clickAt, expectClick, grantControl, videoPoint, watchingSession } from '../support/control-session';
import { XApp } from '../support/x-app';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

describe('remote control with consent', () => {
  it('clicks land at the intended pixels of the shared screen', async () => {
    const target = await harness.openWindow('Target', '#333333', '1280x800+0+0');
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await clickAt(viewer, 0.25, 0.25);
    await clickAt(viewer, 0.75, 0.6, 'right');
    const [left, right] = await target.waitForClicks(2);
    expectClick(left, 1, 320, 200);
    expectClick(right, 3, 960, 480);
    const [, x, y] = /x:(\d+) y:(\d+)/.exec(execFileSync('xdotool', ['getmouselocation'], { env: harness.env }).toString())!;
    expect(Math.abs(Number(x) - 960) <= 2 && Math.abs(Number(y) - 480) <= 2).toBe(true);
  });

  it('clicks map into a window shared at an offset, and follow it when it moves', async () => {
    const win = await harness.openWindow('Offset app', '#884400', '600x400+300+200');
    const { viewer } = await watchingSession(harness, 'window', 'Offset app');
    await grantControl(harness, viewer);
    await clickAt(viewer, 0.5, 0.5);
    expectClick((await win.waitForClicks(1))[0], 1, 600, 400);
    await win.command('geometry 600x400+500+300');
    await clickAt(viewer, 0.1, 0.1);
    expectClick((await win.waitForClicks(1))[0], 1, 560, 340);
    const pos = robot.getMousePos();
    expect(Math.abs(pos.x - 560) <= 2 && Math.abs(pos.y - 340) <= 2).toBe(true);
  });

  it('a pointer move leaves as the browser gets it, before the pointermove Chromium holds for the next frame', async () => {
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await viewer.evaluate(() => {
      const order: string[] = ((window as never as { __order: string[] }).__order = []);
      document.addEventListener('pointermove', () => order.push('pointermove'), true);
      const send = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void;
      RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
        if (typeof data === 'string' && data.includes('"t":"move"')) order.push('move sent');
        send.call(this, data);
      };
    });
    const p = await videoPoint(viewer, 0.6, 0.4);
    await viewer.mouse.move(p.x, p.y);
    const order = await viewer.waitForFunction(() => {
      const o = (window as never as { __order: string[] }).__order;
      return o.includes('pointermove') && o.includes('move sent') ? o : undefined;
    });
    expect(((await order.jsonValue()) as string[])[0]).toBe('move sent');
    await expect.poll(() => Math.abs(robot.getMousePos().x - 0.6 * 1280) <= 2, { timeout: 5000 }).toBe(true);
  });

  it('types text, editing keys, a shortcut and non-ASCII into a real X text editor', async () => {
    const editor = await XApp.start('text_field.py', { title: 'Notes', geometry: '1280x800+0+0' }, harness.env);
    harness.windows.push({ app: editor, name: 'Notes' });
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await clickAt(viewer, 0.5, 0.5); // focus follows the pointer: click into the editor first
    const k = viewer.keyboard;
    await k.type('Hello, World! 123');
    await k.press('Enter');
    await k.press('Tab');
    await k.type('abc');
    await k.press('Backspace');
    await k.press('ArrowLeft');
    await k.type('X');
    await k.press('Control+a'); // Tk's Ctrl+A: start of line
    await k.type('[');
    await k.press('End');
    await k.insertText(' äöü €ß ÄÖÜ ñ Ωλ 中文'); // arrives like an IME commit: no key events of its own
    const expected = 'Hello, World! 123\n[\taXb äöü €ß ÄÖÜ ñ Ωλ 中文';
    await expect.poll(async () => JSON.parse(await editor.command('value')), { timeout: 5000 }).toBe(expected);
  });
});
