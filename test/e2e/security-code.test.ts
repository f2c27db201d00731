import wrtc from '@roamhq/wrtc';
import type { Page } from 'playwright-core';
import SimplePeer from 'simple-peer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';
import { waitForDecodedFrames } from '../support/video-probe';

let harness: E2EHarness;
const mitmPeers: SimplePeer.Instance[] = [];
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(async () => {
  mitmPeers.splice(0).forEach((p) => p.destroy());
  await harness.reset();
});
afterAll(() => harness.stop());

const codeOf = async (page: Page) => {
  await page.waitForFunction(() => /^\d{3} \d{3}$/.test(document.querySelector('#security-code')?.textContent ?? ''));
  return page.textContent('#security-code');
};

/**
 * A man in the middle on the viewer's signaling path (a compromised server or a LAN attacker would sit in the
 * same place): the host's SDP goes to a peer of the attacker's, and the viewer gets the SDP of another one.
 * Both legs are real WebRTC connections (@roamhq/wrtc) that the two pages accept as each other.
 */
async function interceptSignaling(page: Page): Promise<void> {
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    let towardHost: SimplePeer.Instance | undefined;
    let towardViewer: SimplePeer.Instance | undefined;
    server.onMessage((raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === 'join.accepted') {
        towardHost = new SimplePeer({ initiator: false, wrtc, trickle: true });
        towardViewer = new SimplePeer({ initiator: true, wrtc, trickle: true });
        mitmPeers.push(towardHost, towardViewer);
        towardHost.on('signal', (data) => server.send(JSON.stringify({ type: 'signal', data })));
        towardViewer.on('signal', (data) => ws.send(JSON.stringify({ type: 'signal', data })));
        for (const p of [towardHost, towardViewer]) p.on('error', () => undefined);
      }
      if (m.type === 'signal') return towardHost?.signal(m.data);
      ws.send(raw);
    });
    ws.onMessage((raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === 'signal') return towardViewer?.signal(m.data);
      server.send(raw);
    });
  });
}

describe('security code', () => {
  it('is the same six digits on both sides of an honest connection', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const [hostCode, viewerCode] = await Promise.all([codeOf(host), codeOf(viewer)]);
    expect(hostCode).toBe(viewerCode);
  });

  it('differs when someone in the signaling path rewrites the SDP to sit in the middle', async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage('', interceptSignaling);
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    // Both pages believe they are connected — each to the attacker.
    const [hostCode, viewerCode] = await Promise.all([codeOf(host), codeOf(viewer)]);
    await expect
      .poll(() => mitmPeers.length === 2 && mitmPeers.every((p) => (p as unknown as { connected: boolean }).connected))
      .toBe(true);
    expect(hostCode).not.toBe(viewerCode);
  });

  it('stays the same when the technician’s page reloads and resumes: both sides present the same certificates again', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const before = await codeOf(viewer);
    expect(await codeOf(host)).toBe(before);
    await viewer.reload();
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'watching', undefined, { timeout: 20_000 });
    await waitForDecodedFrames(viewer);
    // A new peer connection on both sides (the host made a new link for the resumed page), the same code.
    expect(await codeOf(viewer)).toBe(before);
    expect(await codeOf(host)).toBe(before);
  });

  it('where the technician’s page could not keep its certificate, both sides say the code changed and must be compared again', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const before = await codeOf(viewer);
    expect(await codeOf(host)).toBe(before);
    expect(await viewer.isVisible('#security-code-changed')).toBe(false);
    // As a browser that refuses storage would: the reloaded page has no certificate to present again.
    await viewer.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.deleteDatabase('peerdesk');
          req.onsuccess = resolve;
          req.onerror = reject;
        }),
    );
    await viewer.reload();
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'watching', undefined, { timeout: 20_000 });
    await waitForDecodedFrames(viewer);
    const after = await codeOf(viewer);
    expect(after).not.toBe(before);
    expect(await codeOf(host)).toBe(after);
    for (const page of [viewer, host]) {
      await page.waitForSelector('#security-code-changed:not([hidden])');
      expect(await page.textContent('#security-code-changed')).toBe(` — changed (was ${before}): compare it again`);
    }
  });
});
