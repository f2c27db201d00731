import { E2EHarness } from '../test/support/e2e-harness';
import { waitForDecodedFrames } from '../test/support/video-probe';
const harness = await E2EHarness.start();
try {
  await harness.openWindow('Spreadsheet - Quarterly report', '#2e7d32', '700x500+60+60');
  await harness.openWindow('Mail - Inbox', '#1565c0', '560x420+680+300');
  const host = await harness.hostPage('screen');
  const viewer = await harness.viewerPage();
  await E2EHarness.requestToJoin(host, viewer);
  await host.waitForFunction(() => document.querySelectorAll('.source > img').length === 3);
  await waitForDecodedFrames(host);
  await host.waitForSelector('#allow-view:not([disabled])');
  await host.screenshot({ path: '/tmp/f28/host-consent.png', fullPage: true });
} finally {
  await harness.stop();
}
process.exit(0);
