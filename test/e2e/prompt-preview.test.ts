import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

/**
 * The view prompt's live preview (issue 28, "First frame"): while the person reads the prompt, the desktop app
 * captures the picked source and shows it to them; nothing of it, and nothing about the host's network, leaves the
 * machine before Allow; Deny or the technician going away stops the capture at once.
 */

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

type Host = { __pdStreams: MediaStream[]; __pdPeers: RTCPeerConnection[]; __captureCalls: number };
const RED: [number, number, number] = [255, 0, 0];

/**
 * The host page, with every frame it sends the signaling server recorded (the WebSocket is routed through the test)
 * and every stream a capture returned kept, so the test can see each track's state.
 */
async function watchedHost(): Promise<{ host: Page; sent: string[] }> {
  const sent: string[] = [];
  const host = await harness.hostPage('screen', true, '', async (page) => {
    await page.addInitScript(`{
      window.__pdStreams = [];
      const original = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getDisplayMedia = (c) => original(c).then((s) => (window.__pdStreams.push(s), s));
    }`);
    await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((raw) => {
        sent.push(String(raw));
        server.send(raw);
      });
      server.onMessage((raw) => ws.send(raw));
    });
  });
  return { host, sent };
}

/** Every signaling frame a viewer page receives, from the first. */
function framesTo(viewer: Page): string[] {
  const frames: string[] = [];
  viewer.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && frames.push(f.payload)));
  return frames;
}

const signals = (frames: string[]) => frames.filter((f) => f.includes('"type":"signal"'));
/** What would tell the technician anything about the host's network, in any frame the host sent. */
const networkDetail = (frames: string[]) => frames.filter((f) => /candidate|"sdp"|ice-ufrag|\b\d{1,3}(\.\d{1,3}){3}\b/.test(f));

/** The prompt is up, its preview plays the picked screen, and the prepared connection has gathered every candidate. */
async function previewPlaying(host: Page): Promise<void> {
  await host.waitForSelector('#share-preview:not([hidden]) video');
  await waitForDecodedFrames(host);
  await waitForVideoColor(host, RED);
  await host.waitForFunction(() => {
    const pc = (window as never as Host).__pdPeers[0];
    return pc?.localDescription?.type === 'offer' && pc.iceGatheringState === 'complete';
  });
}

/**
 * The connection prepared while the prompt is open must have sent nothing — no answer to send to, no candidate pair,
 * no connectivity check, not one byte — and carries no captured track.
 */
async function preparedConnection(host: Page) {
  await host.waitForFunction(() => (window as never as Host).__pdPeers[0] !== undefined);
  return host.evaluate(async () => {
    const pc = (window as never as Host).__pdPeers[0];
    let pairs = 0;
    let bytesSent = 0;
    (await pc.getStats()).forEach((r: { type: string; bytesSent?: number }) => {
      if (r.type === 'candidate-pair') pairs++;
      bytesSent += r.bytesSent ?? 0;
    });
    const tracks = pc.getSenders().filter((sender) => sender.track).length;
    return { answered: pc.remoteDescription !== null, state: `${pc.connectionState}/${pc.iceConnectionState}`, pairs, bytesSent, tracks };
  });
}
const NOTHING_SENT = { answered: false, state: 'new/new', pairs: 0, bytesSent: 0, tracks: 0 };
/**
 * The viewer's side, made while the person decides (viewer-watch.ts `prepareViewerLink`): one connection, once it is
 * there, with no offer from the host. Its state, 'stable' (waiting) or 'closed' (the session ended), is awaited.
 */
async function viewerPeers(viewer: Page, state: RTCSignalingState) {
  await viewer.waitForFunction((s) => (window as never as Host).__pdPeers[0]?.signalingState === s, state);
  return viewer.evaluate(() => (window as never as Host).__pdPeers.map((pc) => (pc.remoteDescription ? 'offered' : 'no offer')));
}

const trackStates = (host: Page) =>
  host.evaluate(() => (window as never as Host).__pdStreams.flatMap((s) => s.getTracks().map((t) => t.readyState)));

describe('view prompt: live preview of what would be shared', () => {
  it('shows the picked screen live while nothing leaves the machine; Allow shares that same capture', async () => {
    await harness.openWindow('Red desktop', '#ff0000', '1280x800+0+0');
    const { host, sent } = await watchedHost();
    const viewer = await harness.viewerPage();
    const received = framesTo(viewer);
    await E2EHarness.requestToJoin(host, viewer);
    await previewPlaying(host);
    expect(await host.textContent('#share-preview figcaption')).toContain('what they will see');
    // The prompt has been up with the capture running and the offer and candidates made: none of it went out.
    await host.waitForSelector('#allow-view:not([disabled])');
    expect(signals(sent)).toEqual([]);
    expect(networkDetail(sent)).toEqual([]);
    expect(signals(received)).toEqual([]);
    expect(await trackStates(host)).toEqual(['live']);
    // The prepared connection exists, holds no capture, and nothing has gone anywhere.
    expect(await preparedConnection(host)).toEqual(NOTHING_SENT);
    expect(await viewerPeers(viewer, 'stable')).toEqual(['no offer']);
    expect(signals(sent)).toEqual([]);

    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    await waitForVideoColor(viewer, RED);
    expect(signals(sent).length).toBeGreaterThan(0);
    // One capture in all: the preview's track is the one the connection sends.
    const shared = await host.evaluate(() => {
      const w = window as never as Host;
      const sender = w.__pdPeers[0].getSenders().find((s) => s.track?.kind === 'video');
      return { calls: w.__captureCalls, same: sender?.track?.id === w.__pdStreams[0].getVideoTracks()[0].id };
    });
    expect(shared).toEqual({ calls: 1, same: true });
    expect(await trackStates(host)).toEqual(['live']);
  });

  it('Deny stops the capture at once, removes the preview, and nothing was ever sent', async () => {
    await harness.openWindow('Red desktop', '#ff0000', '1280x800+0+0');
    const { host, sent } = await watchedHost();
    const viewer = await harness.viewerPage();
    const received = framesTo(viewer);
    await E2EHarness.requestToJoin(host, viewer, 'Unknown caller');
    await previewPlaying(host);
    expect(await preparedConnection(host)).toEqual(NOTHING_SENT);
    await host.click('#deny-view');
    await viewer.waitForSelector('#end-reason');
    // The prepared connection is closed: it can never send anything.
    await host.waitForFunction(() => (window as never as Host).__pdPeers[0].signalingState === 'closed');
    expect(await viewerPeers(viewer, 'closed')).toEqual(['no offer']);
    expect(await trackStates(host)).toEqual(['ended']);
    expect(await host.locator('#share-preview').count()).toBe(0);
    expect(await host.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
    expect(signals(sent)).toEqual([]);
    expect(networkDetail(sent)).toEqual([]);
    expect(signals(received)).toEqual([]);
    expect(sent.map((f) => JSON.parse(f).type)).toContain('host.decide');
  });

  it('the technician gives up before an answer: the capture stops, nothing was sent', async () => {
    await harness.openWindow('Red desktop', '#ff0000', '1280x800+0+0');
    const { host, sent } = await watchedHost();
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await previewPlaying(host);
    await viewer.close();
    await host.waitForSelector('#session-code');
    expect(await trackStates(host)).toEqual(['ended']);
    expect(await host.locator('#share-preview').count()).toBe(0);
    expect(signals(sent)).toEqual([]);
    expect(networkDetail(sent)).toEqual([]);
  });
});
