import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { E2EHarness } from '../support/e2e-harness';
import { grantControl, watchingSession } from '../support/control-session';
import { waitForVideoColor } from '../support/video-probe';

/**
 * The host's X screen split into two RandR monitors side by side (640×800 each), which Chromium lists as two
 * screens, as on a desk with two displays. A red window fills the first, a blue one the second.
 */
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(async () => {
  harness.joinMonitors();
  await harness.reset();
});
afterAll(() => harness.stop());

const videoSize = (viewer: Page) =>
  viewer.evaluate(() => [document.querySelector('video')!.videoWidth, document.querySelector('video')!.videoHeight]);
const sendRaw = (viewer: Page, message: object) =>
  viewer.evaluate((m) => {
    const toolkit = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.find((c) => c.label === 'toolkit')!;
    toolkit.send(JSON.stringify(m));
  }, message);

describe('monitor choice from the viewer', () => {
  it('the viewer asks for the other screen: the host switches, control ends, and the viewer sees that screen', async () => {
    harness.splitIntoMonitors(2);
    await harness.openWindow('Left app', '#e00000', '640x800+0+0');
    await harness.openWindow('Right app', '#0000e0', '640x800+640+0');
    const { host, viewer } = await watchingSession(harness, 'screen');
    await waitForVideoColor(viewer, [224, 0, 0]);
    expect((await videoSize(viewer))[0]).toBeLessThan((await videoSize(viewer))[1]); // one 640×800 monitor, not both
    await grantControl(harness, viewer);

    await viewer.click('#view-menu summary');
    await viewer.waitForSelector('#monitor-label:not([hidden])');
    expect(await viewer.$$eval('#monitor option', (o) => o.map((x) => [x.textContent, (x as HTMLOptionElement).selected]))).toEqual([
      ['Screen 1', true],
      ['Screen 2', false],
    ]);
    await viewer.selectOption('#monitor', { label: 'Screen 2' });
    await waitForVideoColor(viewer, [0, 0, 224]);
    // The switch is the host's own: control ended first, as on any source switch.
    await viewer.waitForFunction(() => document.body.dataset.controlState !== 'granted');
    expect(harness.services.consent.current).not.toBe('granted');
    await host.waitForFunction(() => document.querySelector('#sharing-text')?.textContent?.includes('Screen 2'));
    await expect.poll(() => viewer.$eval('#monitor', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Screen 2');
    await host.click('#toggle-log');
    expect(await host.textContent('#log-list')).toContain('Switched to Screen 2 (Tina from IT asked for it; control ended)');

    // Only the host's screens can be asked for: a window id or an unknown id changes nothing.
    await sendRaw(viewer, { t: 'screen.select', id: 'window:1234:0' });
    await sendRaw(viewer, { t: 'screen.select', id: 'screen:99:0' });
    await sendRaw(viewer, { t: 'chat', text: 'after the bogus requests', sentAt: Date.now() });
    await host.waitForFunction(
      () => document.querySelector('#chat-list, .chat-list')?.textContent?.includes('after the bogus requests') ?? true,
    );
    await waitForVideoColor(viewer, [0, 0, 224]);
    expect(await host.textContent('#sharing-text')).toContain('Screen 2');
  });

  it('is not offered while a single window is shared, even with two screens, and the host refuses a request anyway', async () => {
    harness.splitIntoMonitors(2);
    await harness.openWindow('Only app', '#00a000', '600x400+20+20');
    const { host, viewer } = await watchingSession(harness, 'window', 'Only app');
    await waitForVideoColor(viewer, [0, 160, 0]);
    // The host's announcement arrives with the first frames: an empty list.
    await viewer.waitForFunction(() => (document.querySelector('#monitor') as HTMLSelectElement).options.length === 0);
    await viewer.click('#view-menu summary');
    expect(await viewer.isHidden('#monitor-label')).toBe(true);
    await sendRaw(viewer, { t: 'screen.select', id: 'screen:1:0' });
    await sendRaw(viewer, { t: 'chat', text: 'after the request', sentAt: Date.now() });
    await host.waitForFunction(() => document.querySelector('#chat-list')?.textContent?.includes('after the request'));
    await waitForVideoColor(viewer, [0, 160, 0]);
    expect(await host.textContent('#sharing-text')).toContain('Only app');
  });
});
