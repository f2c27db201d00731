import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type Coturn } from '../support/coturn';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

let harness: E2EHarness;
let coturn: Coturn;
beforeAll(async () => {
  coturn = await startCoturn();
  // `?forceRelay=1` exists only in the instrumented renderer (renderer/instrumented.ts).
  harness = await E2EHarness.start({ turnUrls: [coturn.url], turnSecret: coturn.secret, staticDir: 'dist/renderer-instrumented' });
});
afterAll(async () => {
  await harness.stop();
  await coturn.stop();
});

describe('relay-only through coturn', () => {
  it('frames arrive through TURN with server-minted credentials, and the stats panel says relay', async () => {
    await harness.openWindow('Full screen', '#ff00ff', '1280x800+0+0');
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage('&forceRelay=1');
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    await waitForVideoColor(viewer, [255, 0, 255]);
    await viewer.click('#view-menu summary');
    await viewer.click('#toggle-stats');
    await viewer.waitForFunction(() => document.querySelector('#stat-candidate')?.textContent === 'relay', undefined, { timeout: 10_000 });
    expect(await viewer.textContent('#stat-resolution')).toBe('1280×800');
  });
});
