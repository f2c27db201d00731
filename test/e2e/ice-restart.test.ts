import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_PCS, iceUfrag } from '../support/capture-pcs';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

/**
 * Media loss is made real: every UDP packet in the test's own network namespace is dropped
 * (iptables; npm test runs inside `unshare -n`, so nothing outside it is touched). The
 * signaling WebSocket is TCP and keeps working, as on a real network that loses its media path.
 */
const udp = (action: '-A' | '-D') => execFileSync('iptables', [action, 'INPUT', '-p', 'udp', '-j', 'DROP']);

let harness: E2EHarness;
let blocked = false;
beforeAll(async () => {
  if (process.env.PEERDESK_IN_NETNS !== '1')
    throw new Error('run through npm test: this test changes the firewall of its network namespace');
  harness = await E2EHarness.start();
});
afterEach(async () => {
  if (blocked) udp('-D');
  blocked = false;
  await harness.reset();
});
afterAll(() => harness.stop());

describe('recovery when the media path drops', () => {
  it('shows "Reconnecting…", restarts ICE, and the same session shows new frames once packets flow again', async () => {
    const screen = await harness.openWindow('Recovering app', '#ff0000', '1280x800+0+0');
    const host = await harness.hostPage('screen');
    await host.addInitScript(CAPTURE_PCS);
    await host.reload();
    await host.waitForSelector('#session-code');
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    await waitForVideoColor(viewer, [255, 0, 0]);
    const ufragBefore = await iceUfrag(host);
    expect(ufragBefore).toBeTruthy();

    udp('-A');
    blocked = true;
    await viewer.waitForSelector('#reconnecting:not([hidden])', { timeout: 20_000 });
    await screen.command('color #0000ff'); // changes while the path is down cannot arrive yet
    // Packets come back only once the host has begun its ICE restart (its new offer travels over TCP): restored any
    // sooner, the old path may come back by itself and the run would say nothing about the restart.
    await expect.poll(() => iceUfrag(host), { timeout: 30_000 }).not.toBe(ufragBefore);
    udp('-D');
    blocked = false;

    await waitForVideoColor(viewer, [0, 0, 255], 0.5, 0.5, 20_000);
    await viewer.waitForSelector('#reconnecting', { state: 'hidden' });
    // Recovered through an ICE restart (new credentials), not by the old path coming back by itself.
    expect(await iceUfrag(host)).not.toBe(ufragBefore);
    // Still the first session: no new join, the viewer never left the watching screen.
    expect(await viewer.evaluate(() => document.body.dataset.viewerState)).toBe('watching');
    expect(await host.textContent('#sharing-text')).toContain('Sharing Entire screen');
  });
});
