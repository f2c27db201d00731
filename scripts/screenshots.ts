// Renders the real renderer pages under Xvfb and saves the README's screenshots (npx tsx scripts/screenshots.ts).
import { E2EHarness } from '../test/support/e2e-harness';
import { waitForDecodedFrames } from '../test/support/video-probe';

const out = (name: string) => `docs/screenshots/${name}.png`;
const harness = await E2EHarness.start();
try {
  await harness.openWindow('Spreadsheet - Quarterly report', '#2e7d32', '700x500+60+60');
  await harness.openWindow('Mail - Inbox', '#1565c0', '560x420+680+300');
  const host = await harness.hostPage('screen');
  await host.screenshot({ path: out('host-ready') });
  const viewer = await harness.viewerPage();
  await viewer.fill('#join-code', '123 456 789');
  await viewer.screenshot({ path: out('viewer-join') });
  await viewer.fill('#join-code', '');
  await E2EHarness.requestToJoin(host, viewer);
  await host.screenshot({ path: out('host-consent') });
  await host.click('#allow-view');
  await host.waitForSelector('#sharing-text');
  await waitForDecodedFrames(viewer);
  await viewer.click('#toggle-stats');
  await viewer.waitForFunction(() => document.querySelector('#stat-resolution')?.textContent?.includes('×'));
  await viewer.waitForFunction(() => document.querySelector('#stat-bitrate')?.textContent?.includes('bit/s'));
  await viewer.screenshot({ path: out('viewer-watching') });
  await host.screenshot({ path: out('host-sharing') });
  await viewer.click('#request-control');
  await harness.prompt.shown();
  harness.services.consent.grant(); // the host's Allow in the control prompt
  await host.waitForSelector('#revoke-control');
  await viewer.waitForFunction(() => document.body.dataset.controlState === 'granted');
  await viewer.waitForFunction(() => document.querySelector('#stat-bitrate')?.textContent?.includes('bit/s'));
  await host.screenshot({ path: out('host-controlled') });
  await viewer.screenshot({ path: out('viewer-controlling') });
  const home = await harness.viewerPage('');
  await home.goto(harness.server.url);
  await home.screenshot({ path: out('home') });
} finally {
  await harness.stop();
}
