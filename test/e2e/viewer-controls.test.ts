import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** The host's video sender parameters, read back from its own RTCPeerConnection. */
const senderParams = (host: Page) =>
  host.evaluate(() => {
    const pc = (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!;
    const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video')!.sender;
    const p = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
    return { degradation: p.degradationPreference, maxBitrate: p.encodings[0]?.maxBitrate, maxFramerate: p.encodings[0]?.maxFramerate };
  });

describe('viewer controls', () => {
  it('fullscreen with the keyboard locked engages and releases (button and double-click on the toolbar)', async () => {
    const { viewer } = await watchingSession(harness, 'screen');
    await viewer.click('#toggle-fullscreen');
    await viewer.waitForFunction(
      () => document.fullscreenElement?.classList.contains('viewer') && document.body.dataset.keyboardLock === 'on',
    );
    expect(await viewer.textContent('#toggle-fullscreen')).toBe('Exit fullscreen');
    await viewer.click('#toggle-fullscreen');
    await viewer.waitForFunction(() => !document.fullscreenElement && document.body.dataset.keyboardLock === 'off');
    await viewer.dblclick('.toolbar .live-dot');
    await viewer.waitForFunction(() => Boolean(document.fullscreenElement) && document.body.dataset.keyboardLock === 'on');
    await viewer.evaluate(() => document.exitFullscreen());
    await viewer.waitForFunction(() => document.body.dataset.keyboardLock === 'off');
  });

  it('each quality choice changes the host’s sender parameters without renegotiating, and the stats panel says which', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await expect.poll(() => senderParams(host)).toMatchObject({ degradation: 'maintain-resolution', maxFramerate: 60 });
    const offers = await host.evaluate(
      () => (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!.localDescription?.sdp,
    );
    await viewer.click('#view-menu summary');
    await viewer.click('#toggle-stats');
    await viewer.click('#view-menu summary');
    for (const [mode, label, expected] of [
      ['smooth', 'Smooth motion', { degradation: 'maintain-framerate', maxFramerate: 60, maxBitrate: 12_000_000 }],
      ['low-bandwidth', 'Low bandwidth', { degradation: 'balanced', maxFramerate: 15, maxBitrate: 600_000 }],
      ['sharp', 'Sharp text', { degradation: 'maintain-resolution', maxFramerate: 60, maxBitrate: 12_000_000 }],
    ] as const) {
      await viewer.selectOption('#quality', mode);
      await expect.poll(() => senderParams(host)).toEqual(expected);
      await viewer.waitForFunction((l) => document.querySelector('#stat-quality')?.textContent === l, label);
    }
    // Same description as before: applied with setParameters, no new offer/answer.
    expect(
      await host.evaluate(() => (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!.localDescription?.sdp),
    ).toBe(offers);
  });
});
