import { execFileSync, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { clickAt, expectClick, grantControl, watchingSession } from '../support/control-session';
import type { XApp } from '../support/x-app';
import { heldKeycodes as heldKeycodesOf, nothingHeld } from '../support/x-state';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(async () => {
  harness.ownWindowRects.length = 0;
  harness.ownWindowFocused = false;
  await harness.reset();
});
afterAll(() => harness.stop());

const clicksOf = async (app: XApp) => JSON.parse(await app.command('clicks')) as Array<[number, number, number]>;
const heldKeycodes = () => heldKeycodesOf(harness.x11);

describe('confinement to a shared window', () => {
  it('raises the shared window first, so a window lying on top of it never gets the click — 20 times under full CPU load', async () => {
    const shared = await harness.openWindow('Shared app', '#00aa00', '500x400+100+100');
    const { viewer } = await watchingSession(harness, 'window', 'Shared app');
    const cover = await harness.openWindow('Other app on top', '#aa0000', '400x300+300+200');
    await grantControl(harness, viewer);
    // One busy loop per core: the raise (our X connection) and the click (robotjs's) must stay ordered anyway.
    const burners = [0, 1].map(() => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
    try {
      for (let i = 0; i < 20; i++) {
        // The other app comes back on top before every click, without taking the keyboard focus.
        execFileSync('xdotool', ['windowraise', cover.windowId], { env: harness.env });
        await clickAt(viewer, 0.6, 0.5); // desktop (400, 300): under the other window
        const clicks = await shared.waitForClicks(1, 15_000);
        // Which guard refused it, if one did, and what X held then: a lost click must say why.
        const held = clicks.length ? undefined : await nothingHeld(harness.x11);
        expect(
          clicks,
          `click ${i + 1} of 20 never reached the shared app; host drops ${JSON.stringify([...harness.services.input.dropped])}, X held ${JSON.stringify(held)}`,
        ).toHaveLength(1);
        expectClick(clicks[0], 1, 400, 300);
        expect(await clicksOf(cover)).toEqual([]);
      }
    } finally {
      burners.forEach((b) => b.kill('SIGKILL'));
    }
  }, 180_000);

  it('a click aimed outside the window is refused before it reaches robotjs', async () => {
    const shared = await harness.openWindow('Shared app', '#00aa00', '500x400+100+100');
    const outside = await harness.openWindow('Desktop icon', '#0000aa', '200x200+800+500');
    const { viewer } = await watchingSession(harness, 'window', 'Shared app');
    await grantControl(harness, viewer);
    for (const [x, y] of [
      [1.8, 1.2],
      [-0.5, 0.5],
      [Number.MAX_VALUE, 0],
    ]) {
      const result = await harness.services.controlMessage(JSON.stringify({ t: 'button', button: 'left', down: true, x, y }));
      expect(result).toMatchObject({ ok: false, reason: 'INPUT_ERR_BAD_MESSAGE' });
    }
    expect(await clicksOf(outside)).toEqual([]);
    expect(await clicksOf(shared)).toEqual([]);
  });
});

describe('PeerDesk’s own windows are out of reach', () => {
  it('drops clicks that would land on a PeerDesk window and keys while one has focus', async () => {
    const desktop = await harness.openWindow('Desktop', '#303030', '1280x800+0+0');
    const prompt = await harness.openWindow('PeerDesk consent prompt', '#ffffff', '400x200+440+300');
    harness.ownWindowRects.push({ x: 440, y: 300, width: 400, height: 200 });
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await clickAt(viewer, 0.5, 0.5); // (640, 400): the middle of the prompt
    // The move onto it and the press are dropped; the release finds nothing pressed and injects nothing.
    await expect.poll(() => harness.services.input.dropped.get('INPUT_ERR_OWN_WINDOW') ?? 0).toBe(2);
    expect(await clicksOf(prompt)).toEqual([]);
    await clickAt(viewer, 0.1, 0.1); // elsewhere still works
    expectClick((await desktop.waitForClicks(1))[0], 1, 128, 80);
    harness.ownWindowFocused = true;
    expect(await harness.services.controlMessage(JSON.stringify({ t: 'text', text: 'y' }))).toMatchObject({
      reason: 'INPUT_ERR_OWN_WINDOW',
    });
  });
});

describe('held keys', () => {
  it('are released on the host when the viewer’s page loses focus', async () => {
    await harness.openWindow('Desktop', '#303030', '1280x800+0+0');
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await viewer.keyboard.down('Control');
    await viewer.keyboard.down('b');
    await expect.poll(() => heldKeycodes().then((k) => k.length), { timeout: 5000 }).toBe(2);
    await viewer.evaluate(() => (document.querySelector('#remote-keyboard') as HTMLElement).blur());
    await expect.poll(heldKeycodes, { timeout: 5000 }).toEqual([]);
    await viewer.keyboard.up('b');
    await viewer.keyboard.up('Control');
  });

  it('are released when the viewer disconnects mid-press', async () => {
    await harness.openWindow('Desktop', '#303030', '1280x800+0+0');
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    await viewer.keyboard.down('Control');
    await viewer.keyboard.down('ArrowDown');
    await expect.poll(() => heldKeycodes().then((k) => k.length), { timeout: 5000 }).toBe(2);
    // The viewer's renderer dies at once: no blur, no release-all, nothing more from that side.
    const cdp = await viewer.context().newCDPSession(viewer);
    void cdp.send('Page.crash').catch(() => undefined);
    await expect.poll(heldKeycodes, { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => harness.services.consent.current).toBe('none');
  });
});
