// Renders the real renderer pages under Xvfb and saves the README's screenshots (npx tsx scripts/screenshots.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2EHarness } from '../test/support/e2e-harness';
import { DESKTOP_API_STUB } from '../test/support/desktop-api-stub';
import { TestClient } from '../test/support/signaling-client';
import { SignalingProcess } from '../test/support/signaling-process';
import { waitForDecodedFrames } from '../test/support/video-probe';
import { attachVerifiedIdentity, TINA } from '../test/support/verified-server';

const out = (name: string) => `docs/screenshots/${name}.png`;
// Its own process, so the last shots can show what a server crash looks like.
const server = await SignalingProcess.start(['--static-dir', 'dist/renderer', '--host-opens-per-minute', '1000']);
const harness = await E2EHarness.start({}, server);
try {
  await harness.openWindow('Spreadsheet - Quarterly report', '#2e7d32', '700x500+60+60');
  await harness.openWindow('Mail - Inbox', '#1565c0', '560x420+680+300');
  const host = await harness.hostPage('screen');
  await host.screenshot({ path: out('host-ready') });
  // Someone guesses the PIN twice: the host is told (two failures stay below the address's backoff).
  const guesser = await TestClient.connect(harness.server.wsUrl);
  const { code } = await E2EHarness.sessionCredentials(host);
  for (const pin of ['000000', '111111']) guesser.send({ type: 'viewer.join', v: 1, code, pin, name: 'Guess' });
  await host.waitForFunction(() => document.querySelector('#failed-joins')?.textContent?.includes('2 of 5'));
  await host.screenshot({ path: out('host-failed-joins') });
  guesser.close();
  const viewer = await harness.viewerPage();
  await viewer.fill('#join-code', '123 456 789');
  await viewer.screenshot({ path: out('viewer-join') });
  await viewer.fill('#join-code', '');
  await E2EHarness.requestToJoin(host, viewer);
  await host.waitForFunction(() => document.querySelectorAll('.source > img').length === 3); // thumbnails arrive after the names
  await waitForDecodedFrames(host); // the prompt's live preview of the picked screen
  await host.screenshot({ path: out('host-consent'), fullPage: true });
  await host.click('#allow-view');
  await host.waitForSelector('#sharing-text');
  await waitForDecodedFrames(viewer);
  await viewer.click('#view-menu summary');
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
  // The keys menu, and the toolbar at a wide and a narrow window.
  await viewer.setViewportSize({ width: 1400, height: 800 });
  await viewer.click('#keys-menu summary');
  await viewer.screenshot({ path: out('viewer-keys-menu') });
  await viewer.click('#keys-menu summary');
  await viewer.setViewportSize({ width: 640, height: 720 });
  await viewer.screenshot({ path: out('viewer-narrow') });
  await viewer.setViewportSize({ width: 1400, height: 800 });
  await viewer.click('#toggle-fullscreen');
  await viewer.waitForFunction(() => document.body.dataset.keyboardLock === 'on');
  await viewer.screenshot({ path: out('viewer-fullscreen') });
  await viewer.click('#toggle-fullscreen');
  await viewer.setViewportSize({ width: 1100, height: 720 });
  // Clipboard sharing on, sent automatically.
  await host.check('#clipboard-enabled');
  await viewer.waitForSelector('#clipboard-auto');
  await viewer.check('#clipboard-auto');
  await viewer.screenshot({ path: out('viewer-clipboard-auto') });
  await host.check('#clipboard-auto');
  await host.screenshot({ path: out('host-clipboard-auto') });
  // A file offered to the host: name, size and type, waiting for Accept.
  const offered = join(mkdtempSync(join(tmpdir(), 'peerdesk-shot-')), 'network-log.txt');
  writeFileSync(offered, 'x'.repeat(180_000));
  await viewer.click('#toggle-files');
  await viewer.setInputFiles('#file-input', offered);
  await host.waitForSelector('#transfer-list li[data-state="incoming"]');
  await host.screenshot({ path: out('host-file-offer') });
  await host.click('#transfer-list [data-action="accept"]');
  await viewer.waitForSelector('#transfer-list li[data-state="done"]');
  await viewer.screenshot({ path: out('viewer-file-sent') });
  await viewer.click('#toggle-files');
  // Chat: the technician writes, the host answers.
  await viewer.click('#toggle-chat');
  await viewer.fill('#chat-input', 'I can see the spreadsheet. Can you save it first?');
  await viewer.press('#chat-input', 'Enter');
  await host.waitForSelector('#chat-unread:not([hidden])');
  await host.screenshot({ path: out('host-chat-unread') });
  await host.click('#toggle-chat');
  await host.fill('#chat-input', 'Done — it is saved.');
  await host.press('#chat-input', 'Enter');
  await viewer.waitForFunction(() => document.querySelectorAll('#chat-list .chat-message').length === 2);
  await viewer.screenshot({ path: out('viewer-chat') });
  await host.screenshot({ path: out('host-chat') });
  const home = await harness.viewerPage('');
  await home.goto(harness.server.url);
  await home.screenshot({ path: out('home') });
  await home.emulateMedia({ colorScheme: 'dark' });
  await home.screenshot({ path: out('home-dark') });
  // The desktop app's own windows, at their Electron window sizes (main/adapters/window-options.ts).
  const desktop = async (query: string, width: number, height: number, name: string, prepare?: (p: typeof home) => Promise<void>) => {
    const page = await (await home.context().browser()!.newContext({ viewport: { width, height } })).newPage();
    await page.addInitScript(DESKTOP_API_STUB);
    await page.goto(`${harness.server.url}/?${query}`);
    await prepare?.(page);
    await page.screenshot({ path: out(name) });
  };
  await desktop('window=consent&viewer=Tina%20from%20IT', 480, 460, 'desktop-consent');
  await desktop('window=indicator&viewer=Tina%20from%20IT&source=Entire%20screen&control=granted', 540, 56, 'desktop-indicator');
  await desktop('', 1100, 760, 'desktop-settings', async (p) => {
    await p.click('#open-settings');
    await p.waitForSelector('#save-settings');
  });
  // Who is asking: a technician the server verified (sign-in), and a typed name dressed up as a verified one.
  for (const [name, typed, verify] of [
    ['host-consent-verified', 'tina', true],
    ['host-consent-unverified', 'IT Support (verified) admin@example.com', false],
  ] as const) {
    const asked = await harness.hostPage('screen', true, '', verify ? (p) => attachVerifiedIdentity(p, TINA) : undefined);
    const asking = await harness.viewerPage();
    await E2EHarness.requestToJoin(asked, asking, typed);
    await asked.waitForSelector('#allow-view:not([disabled])');
    await asked.screenshot({ path: out(name), fullPage: true });
    await asking.close();
    await asked.close();
  }
  // A host with two screens: the technician picks one in the View menu.
  harness.splitIntoMonitors(2);
  const host3 = await harness.hostPage('screen');
  const viewer3 = await harness.viewerPage();
  await E2EHarness.requestToJoin(host3, viewer3);
  await host3.click('#allow-view');
  await waitForDecodedFrames(viewer3);
  await viewer3.click('#view-menu summary');
  await viewer3.waitForSelector('#monitor-label:not([hidden])');
  await viewer3.screenshot({ path: out('viewer-monitor-menu') });
  await viewer3.close();
  await host3.close();
  harness.joinMonitors();
  // The technician's page went away: the host waits for them to come back.
  await viewer.close();
  await host.waitForFunction(() => document.body.dataset.hostState === 'interrupted');
  await host.screenshot({ path: out('host-interrupted') });
  // The server crashes mid-session: the session goes on peer to peer, and both sides say so.
  const host2 = await harness.hostPage('screen');
  const viewer2 = await harness.viewerPage();
  await E2EHarness.requestToJoin(host2, viewer2);
  await host2.click('#allow-view');
  await waitForDecodedFrames(viewer2);
  await server.kill();
  await viewer2.waitForFunction(() => document.body.dataset.signaling === 'reconnecting');
  await host2.waitForFunction(() => document.body.dataset.signaling === 'reconnecting');
  await viewer2.screenshot({ path: out('viewer-server-lost') });
  await host2.screenshot({ path: out('host-server-lost') });
} finally {
  await harness.stop();
}
