import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import { E2EHarness } from '../support/e2e-harness';
import { close, sampleVideoColor, waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

async function allowAndWatch(host: Page, viewer: Page) {
  await E2EHarness.requestToJoin(host, viewer);
  await host.click('#allow-view');
  await host.waitForSelector('#sharing-text');
  await waitForDecodedFrames(viewer);
}

const RED: [number, number, number] = [255, 0, 0];
const GREEN: [number, number, number] = [0, 255, 0];
const BLUE: [number, number, number] = [0, 0, 255];

describe('screen sharing, host → viewer', () => {
  it('the viewer decodes frames whose pixels match the X screen, and sees it change', async () => {
    const left = await harness.openWindow('Left half', '#ff0000', '640x800+0+0');
    await harness.openWindow('Right half', '#0000ff', '640x800+640+0');
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await allowAndWatch(host, viewer);
    await waitForVideoColor(viewer, RED, 0.25, 0.5);
    await waitForVideoColor(viewer, BLUE, 0.75, 0.5);
    await left.command('color #00ff00');
    await waitForVideoColor(viewer, GREEN, 0.25, 0.5);
    expect(await host.textContent('#sharing-text')).toBe('Sharing Entire screen with Tina from IT');
    expect(await viewer.evaluate(() => document.querySelector('video')!.videoWidth)).toBe(1280);
  });

  it("deny: the viewer is told, and the host captured nothing but the prompt's own preview of the picked screen", async () => {
    const host = await harness.hostPage('screen');
    // Allow's state as the page changed it, noted when it changed: read from the test afterwards, a loaded machine
    // could let the input delay pass before the first look.
    await host.evaluate(() => {
      const w = window as never as { __allowShown?: { at: number; disabled: boolean }; __allowArmedAt?: number };
      new MutationObserver(() => {
        const allow = document.querySelector<HTMLButtonElement>('#allow-view');
        if (!allow) return;
        w.__allowShown ??= { at: performance.now(), disabled: allow.disabled };
        if (!allow.disabled) w.__allowArmedAt ??= performance.now();
      }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    });
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer, 'Unknown caller');
    expect(await host.textContent('.prompt h2')).toBe('Someone who says they are “Unknown caller” wants to see your screen');
    expect(await host.textContent('.prompt .warning')).toContain('support staff never call you first');
    expect(await host.textContent('#prompt-what')).toContain('cannot move your mouse or type');
    // Nothing is allowed by a stray Enter: Deny has the focus and Allow waits a moment.
    expect(await host.evaluate(() => document.activeElement?.id)).toBe('deny-view');
    await host.waitForSelector('#allow-view:not([disabled])');
    const allow = await host.evaluate(() => {
      const w = window as never as { __allowShown: { at: number; disabled: boolean }; __allowArmedAt: number };
      return { shownDisabled: w.__allowShown.disabled, armedAfterMs: w.__allowArmedAt - w.__allowShown.at };
    });
    expect(allow.shownDisabled).toBe(true);
    // The delay's timer starts as the prompt is shown, a moment before the observer notes it: a little slack.
    expect(allow.armedAfterMs).toBeGreaterThanOrEqual(CONTROL_PROMPT_INPUT_DELAY_MS - 100);
    expect(await host.evaluate(() => document.activeElement?.id)).toBe('deny-view');
    // The prompt lists the sources at once; their thumbnails arrive afterwards, and listing captures nothing: the one
    // capture is the live preview of the picked screen (prompt-preview.test.ts: it stays on the machine, Deny stops it).
    await host.waitForFunction(() => {
      const items = document.querySelectorAll('.source');
      return items.length > 0 && document.querySelectorAll('.source > img[src^="data:image/"]').length === items.length;
    });
    await host.waitForSelector('#share-preview:not([hidden]) video');
    expect(await host.evaluate(() => (window as unknown as { __captureCalls: number }).__captureCalls)).toBe(1);
    await host.keyboard.press('Enter');
    await viewer.waitForSelector('#end-reason');
    expect(await viewer.textContent('#end-reason')).toBe('The person declined your request.');
    expect(await viewer.textContent('.card h2')).toBe('Request declined'); // a heading that says what happened
    expect(await host.evaluate(() => (window as unknown as { __captureCalls: number }).__captureCalls)).toBe(1);
    expect(await host.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
    expect(await host.evaluate(() => document.body.dataset.hostState)).toBe('ready');
  });

  it('the host prepares its connection while the prompt is open; none of it reaches a viewer before Allow', async () => {
    type Peers = { __pdPeers: RTCPeerConnection[] };
    const host = await harness.hostPage('screen');
    // Every signaling frame each viewer receives, from the first.
    const signalsTo = (viewer: Page) => {
      const frames: string[] = [];
      viewer.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && frames.push(f.payload)));
      return () => frames.filter((f) => f.includes('"type":"signal"'));
    };
    const denied = await harness.viewerPage();
    const deniedSignals = signalsTo(denied);
    await E2EHarness.requestToJoin(host, denied, 'Unknown caller');
    // The offer is made and every candidate gathered while the person reads the prompt.
    await host.waitForFunction(() => {
      const pc = (window as never as Peers).__pdPeers[0];
      return pc?.localDescription?.type === 'offer' && pc.iceGatheringState === 'complete';
    });
    expect(deniedSignals()).toEqual([]);
    await host.click('#deny-view');
    await denied.waitForSelector('#end-reason');
    await host.waitForFunction(() => (window as never as Peers).__pdPeers[0].signalingState === 'closed');
    expect(deniedSignals()).toEqual([]);

    const viewer = await harness.viewerPage();
    const viewerSignals = signalsTo(viewer);
    await E2EHarness.requestToJoin(host, viewer);
    await host.waitForFunction(() => (window as never as Peers).__pdPeers[1]?.iceGatheringState === 'complete');
    expect(viewerSignals()).toEqual([]);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    // The session runs on the connection prepared before Allow (no third one was made), and its offer is the one
    // the viewer answered: the first signal it got.
    const { count, offerUfrag } = await host.evaluate(() => {
      const peers = (window as never as Peers).__pdPeers;
      return { count: peers.length, offerUfrag: /a=ice-ufrag:(\S+)/.exec(peers[1].localDescription!.sdp)?.[1] };
    });
    expect(count).toBe(2);
    expect(JSON.parse(viewerSignals()[0]).data).toMatchObject({ type: 'offer' });
    expect(JSON.parse(viewerSignals()[0]).data.sdp).toContain(`a=ice-ufrag:${offerUfrag}`);
  });

  it("the viewer's link is made while the person decides and says nothing before Allow; Deny or Cancel closes it", async () => {
    type Peers = { __pdPeers: RTCPeerConnection[] };
    const host = await harness.hostPage('screen');
    // Every signal a viewer sends, from the first frame.
    const signalsFrom = (viewer: Page) => {
      const frames: string[] = [];
      viewer.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && frames.push(f.payload)));
      return () => frames.filter((f) => f.includes('"type":"signal"'));
    };
    const prepared = (viewer: Page) => viewer.waitForFunction(() => (window as never as Peers).__pdPeers.length === 1);
    const closed = (viewer: Page) => viewer.waitForFunction(() => (window as never as Peers).__pdPeers[0].signalingState === 'closed');

    const denied = await harness.viewerPage();
    const deniedSignals = signalsFrom(denied);
    await E2EHarness.requestToJoin(host, denied, 'Unknown caller');
    await prepared(denied);
    await host.click('#deny-view');
    await denied.waitForSelector('#end-reason');
    await closed(denied);
    expect(deniedSignals()).toEqual([]);

    const cancelled = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, cancelled);
    await prepared(cancelled);
    await cancelled.click('.card .actions button');
    await closed(cancelled);
    await host.waitForFunction(() => !document.querySelector('#allow-view'));

    const viewer = await harness.viewerPage();
    const viewerSignals = signalsFrom(viewer);
    await E2EHarness.requestToJoin(host, viewer);
    await prepared(viewer);
    expect(viewerSignals()).toEqual([]);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    // The session runs on the link made while the person decided: no second one.
    expect(await viewer.evaluate(() => (window as never as Peers).__pdPeers.length)).toBe(1);
    expect(JSON.parse(viewerSignals()[0]).data).toMatchObject({ type: 'answer' });
  });

  it('a host page too busy to paint the prompt before Allow never prepares a second connection afterwards', async () => {
    type Held = { __pdPeers: RTCPeerConnection[]; __heldFrames: FrameRequestCallback[] };
    const host = await harness.hostPage('screen');
    // The page's frames are held, as on a loaded machine where the Allow click lands before the prompt's first
    // paint: the preparation waits for that paint, so it would come due only after the decision.
    await host.evaluate(() => {
      const w = window as never as Held;
      w.__heldFrames = [];
      window.requestAnimationFrame = (cb) => w.__heldFrames.push(cb);
    });
    const viewer = await harness.viewerPage();
    const offers: string[] = [];
    viewer.on('websocket', (ws) =>
      ws.on('framereceived', (f) => typeof f.payload === 'string' && /"type":"offer"/.test(f.payload) && offers.push(f.payload)),
    );
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    expect(await host.evaluate(() => (window as never as Held).__heldFrames.length)).toBeGreaterThan(0);
    // The paint comes at last. The preparation's own timer was queued by it, so a timer queued after it runs later.
    await host.evaluate(async () => {
      for (const cb of (window as never as Held).__heldFrames.splice(0)) cb(performance.now());
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(await host.evaluate(() => (window as never as Held).__pdPeers.length)).toBe(1);
    await waitForDecodedFrames(viewer, 10);
    expect(offers).toHaveLength(1);
  });

  /**
   * The end reaches the viewer as the host's goodbye: its wording ("ended the session") comes only from that message;
   * without it the viewer would say the person disconnected (after its 1-s wait for a reason once the link closed) or
   * hear of the end only when the server's grace period (60 s) ran out — far past this wait. No wall-clock bound:
   * on a loaded machine the goodbye's round trip alone may take seconds.
   */
  const END_WAIT_MS = 20_000;

  it("host presses Stop: the viewer is told by the host's goodbye, not by a timeout", async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await allowAndWatch(host, viewer);
    await host.click('#stop-sharing');
    await viewer.waitForSelector('#end-reason', { timeout: END_WAIT_MS });
    expect(await viewer.textContent('#end-reason')).toBe('The person you were helping ended the session.');
    expect(await viewer.textContent('.card h2')).toBe('Session ended'); // not "Disconnected": nothing broke
    expect(await viewer.locator('video').count()).toBe(0);
  });

  it("host closes the page: the viewer is told by the host's goodbye, not by a timeout", async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await allowAndWatch(host, viewer);
    await host.close();
    await viewer.waitForSelector('#end-reason', { timeout: END_WAIT_MS });
    // A closed host page says goodbye on its way out (it could never resume), so no grace period is waited out.
    expect(await viewer.textContent('#end-reason')).toBe('The person you were helping ended the session.');
  });

  it('host presses Stop and the link\'s closing reaches the viewer before the server\'s word: still "ended the session"', async () => {
    const host = await harness.hostPage('screen');
    // The server's news of the end is held until the viewer's side of the peer link has closed: the order a loaded
    // machine sometimes gives (the host's goodbye takes a round trip through the server, the link's closing does not).
    let release = () => undefined as void;
    const linkClosed = new Promise<void>((resolve) => (release = resolve));
    const viewer = await harness.viewerPage('', (page) =>
      page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
        const server = ws.connectToServer();
        server.onMessage((raw) => {
          if (String(raw).includes('"session.ended"')) void linkClosed.then(() => ws.send(raw));
          else ws.send(raw);
        });
        ws.onMessage((raw) => server.send(raw));
      }),
    );
    await allowAndWatch(host, viewer);
    await host.click('#stop-sharing');
    // simple-peer closes the connection and says 'close' in one step, so a closed connection means the page has heard.
    await viewer.waitForFunction(() =>
      (window as never as { __pdPeers: RTCPeerConnection[] }).__pdPeers.every((pc) => pc.signalingState === 'closed'),
    );
    release();
    await viewer.waitForSelector('#end-reason');
    expect(await viewer.textContent('#end-reason')).toBe('The person you were helping ended the session.');
  });

  it('viewer leaves: the host stops capturing and returns to ready with a new PIN', async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    const { pin: firstPin } = await E2EHarness.sessionCredentials(host);
    await allowAndWatch(host, viewer);
    await viewer.click('#leave');
    await host.waitForSelector('#session-code');
    expect(await host.textContent('.notice')).toContain('Your technician left');
    expect((await E2EHarness.sessionCredentials(host)).pin).not.toBe(firstPin);
    // No capture track is left running on the host.
    expect(await host.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
  });

  it('single window: only that window’s pixels arrive, and a switch swaps the source without a new join', async () => {
    await harness.openWindow('Red report', '#ff0000', '500x400+40+40');
    const green = await harness.openWindow('Green mail', '#00ff00', '500x400+700+300');
    const host = await harness.hostPage('window');
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('[data-source-id^="window:"]:has-text("Red report")');
    await host.click('#allow-view');
    await host.waitForSelector('#sharing-text');
    await waitForDecodedFrames(viewer);
    await waitForVideoColor(viewer, RED);
    expect(await host.textContent('#sharing-text')).toBe('Sharing Red report with Tina from IT');
    // The whole frame is the red window: no green anywhere, no screen background.
    for (const [x, y] of [
      [0.05, 0.05],
      [0.95, 0.95],
      [0.5, 0.5],
      [0.95, 0.05],
    ]) {
      expect(close(await sampleVideoColor(viewer, x, y), RED)).toBe(true);
    }
    expect(await viewer.evaluate(() => document.querySelector('video')!.videoWidth)).toBe(500);

    const peerBefore = await viewer.evaluate(() => document.body.dataset.iceState);
    await host.click('#switch-source');
    await host.click(`#switch-panel [data-source-id="window:${green.windowId}"]`);
    await host.click('#confirm-switch');
    await waitForVideoColor(viewer, GREEN);
    expect(await host.textContent('#sharing-text')).toBe('Sharing Green mail with Tina from IT');
    expect(await viewer.evaluate(() => document.body.dataset.viewerState)).toBe('watching');
    expect(await viewer.evaluate(() => document.body.dataset.iceState)).toBe(peerBefore);
  });
});
