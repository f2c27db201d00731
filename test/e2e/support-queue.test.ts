import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames } from '../support/video-probe';
import { SECRET, technicianCookie } from '../signaling/queue/technician';

/**
 * The support queue in Chromium over real WebRTC: a person asks for help on the Get-help page, a signed-in
 * technician sees it live in /console, picks it, the person's prompt names the verified technician and shows the
 * description, and the session starts. The description carries markup, which must show as text.
 */
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start({ devIdp: true, sessionSecret: SECRET, helpRequestsPerAddressPerHour: 1000 });
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

const MARKUP = 'Printer <b>offline</b> <img src=x onerror="window.__xss=1">';

async function consolePage() {
  const cookie = (await technicianCookie(harness.server)).split('=');
  const page = await harness.consolePage((p) =>
    p.context().addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), url: harness.server.url }]),
  );
  // The empty-queue hint stays in the page, hidden, once requests show: wait for whichever is visible.
  await page.waitForSelector('#queue-empty:not([hidden]), .queue-entry');
  return page;
}

describe('support queue in the browser', () => {
  it('a request shows live in the console as text, Pick opens the viewer, the prompt names the verified technician', async () => {
    const console = await consolePage();
    const colleague = await consolePage();
    expect(await console.textContent('#signed-in-as')).toContain('tech@example.com');
    const host = await harness.hostPage('screen');
    await host.waitForSelector('#help-form');
    await host.fill('#help-name', 'Pat Person');
    await host.fill('#help-description', MARKUP);
    if (process.env.PEERDESK_SHOTS) await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-help-form.png` });
    await host.click('#help-submit');
    await host.waitForSelector('#help-position');
    expect(await host.textContent('#help-position')).toBe('You are next in the queue.');
    if (process.env.PEERDESK_SHOTS) await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-help-waiting.png` });

    // Live, without a reload: the entry arrives over the console's WebSocket.
    const entry = await console.waitForSelector('.queue-entry');
    expect(await entry.$eval('.description', (e) => e.textContent)).toBe(MARKUP);
    expect(await console.$$('.queue-entry b, .queue-entry img')).toHaveLength(0);
    expect(await console.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    if (process.env.PEERDESK_SHOTS) await console.screenshot({ path: `${process.env.PEERDESK_SHOTS}/console-queue.png` });

    await colleague.waitForSelector('.queue-entry');
    await console.click('.queue-entry .pick');
    // The colleague's console loses the entry at once: it is taken.
    await colleague.waitForSelector('.queue-entry', { state: 'detached' });
    await host.waitForSelector('#allow-view');
    expect(await host.textContent('#prompt-title')).toContain('Test Technician');
    expect(await host.textContent('#picked-description')).toBe(MARKUP);
    if (process.env.PEERDESK_SHOTS) await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-consent-picked.png` });
    await host.click('#allow-view');
    await host.waitForSelector('#sharing-text');
    await waitForDecodedFrames(console);
  });

  it('Deny with "keep my request" puts it back in the consoles and shows the person their place again', async () => {
    const picker = await consolePage();
    const host = await harness.hostPage('screen');
    await host.waitForSelector('#help-form');
    await host.fill('#help-name', 'Pat Person');
    await host.fill('#help-description', 'VPN drops');
    await host.click('#help-submit');
    await picker.click('.queue-entry .pick');
    await host.waitForSelector('#allow-view');
    expect(await host.isChecked('#help-requeue')).toBe(true);
    await host.click('#deny-view');
    await host.waitForSelector('#help-position');
    const other = await consolePage();
    expect(await other.textContent('.queue-entry .description')).toBe('VPN drops');
    expect(await picker.textContent('body')).toContain('declined');
  });

  it('a refused request (queue full) keeps what the person typed, and the form stays the same form', async () => {
    // The server's answer to this page's request is replaced by the refusal a full queue sends.
    const host = await harness.hostPage('screen', true, '', (page) =>
      page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
        const server = ws.connectToServer();
        server.onMessage((raw) => ws.send(raw));
        ws.onMessage((raw) => {
          if ((JSON.parse(String(raw)) as { type: string }).type !== 'help.request') return server.send(raw);
          ws.send(JSON.stringify({ type: 'error', code: 'SIG_ERR_QUEUE_FULL', message: 'full' }));
        });
      }),
    );
    await host.waitForSelector('#help-form');
    const form = await host.$('#help-form');
    await host.fill('#help-name', 'Pat Person');
    await host.fill('#help-description', 'Outlook keeps asking for my password');
    await host.click('#help-submit');
    await host.waitForSelector('#help-notice');
    expect(await host.textContent('#help-notice')).toContain('queue is full');
    expect(await host.inputValue('#help-description')).toBe('Outlook keeps asking for my password');
    expect(await host.inputValue('#help-name')).toBe('Pat Person');
    expect(await form!.evaluate((f) => f.isConnected)).toBe(true);
  });

  it('without sign-in the console shows no queue and says how to sign in', async () => {
    const page = await harness.consolePage();
    await page.waitForSelector('#console-sign-in');
    expect(await page.$('.queue-list')).toBeNull();
  });
});
