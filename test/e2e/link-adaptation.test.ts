import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from '../../main/services/chromium-switches';
import { E2EHarness } from '../support/e2e-harness';
import { constrainLoopback } from '../support/network-conditions';
import { waitForDecodedFrames } from '../support/video-probe';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** The viewer notes the width of the video frames it decodes, from its receiver's stats, four times a second. */
function noteFrameWidth(viewer: Page): Promise<void> {
  return viewer.evaluate(() => {
    const w = window as never as { __pdPeers: RTCPeerConnection[]; __frameWidth?: number };
    setInterval(async () => {
      for (const pc of w.__pdPeers) {
        if (pc.connectionState !== 'connected') continue;
        for (const s of (await pc.getStats()).values())
          if (s.type === 'inbound-rtp' && s.kind === 'video' && s.frameWidth) w.__frameWidth = s.frameWidth as number;
      }
    }, 250);
  });
}

/** Resolves with the noted frame width once it is full size (1280) or, for 'below-full', smaller. */
function frameWidth(viewer: Page, wanted: 'below-full' | 'full', timeoutMs: number): Promise<number> {
  return viewer
    .waitForFunction(
      (want) => {
        const width = (window as never as { __frameWidth?: number }).__frameWidth;
        return width !== undefined && (want === 'full' ? width === 1280 : width < 1280) && width;
      },
      wanted,
      { polling: 250, timeout: timeoutMs },
    )
    .then((h) => h.jsonValue() as Promise<number>);
}

describe('link adaptation, on in the host users get (README: constrained network)', () => {
  it('a busy screen over a 4 Mbit/s link with 1 % loss goes smaller, and full size comes back once it settles', async () => {
    harness.extraArgs.host = asCommandLineFlags(HOST_CHROMIUM_SWITCHES);
    const screen = await harness.openWindow('Busy', '#808080', '1280x800+0+0');
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer, 30);
    await noteFrameWidth(viewer);
    expect(await frameWidth(viewer, 'full', 5_000)).toBe(1280);

    const undo = constrainLoopback({ rateMbit: 4, lossPct: 1, tcpPorts: [] });
    try {
      await screen.command('busy 1');
      // Measured here: 640 or 800 wide within a few seconds; with adaptation off (before issue 28) it stays 1280.
      expect(await frameWidth(viewer, 'below-full', 30_000)).toBeLessThan(1280);
      await screen.command('busy 0');
      // A still screen encodes far faster per pixel than the busy one: after two calm windows and the hold, full size.
      expect(await frameWidth(viewer, 'full', 60_000)).toBe(1280);
    } finally {
      undo();
    }
  }, 180_000);
});
