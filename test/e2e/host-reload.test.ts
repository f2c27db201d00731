import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { SECRET, technicianCookie } from '../signaling/queue/technician';

/**
 * The browser host page reloads while its help request waits: it comes back to the same session (code and PIN) and
 * the same request in its place, the console never loses the entry, and a pick still reaches the person.
 */
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start({ devIdp: true, sessionSecret: SECRET, helpRequestsPerAddressPerHour: 1000 });
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

describe('host page reload', () => {
  it('keeps the waiting request: same session, same request, still pickable', async () => {
    const [name, ...value] = (await technicianCookie(harness.server)).split('=');
    const console = await harness.consolePage((p) => p.context().addCookies([{ name, value: value.join('='), url: harness.server.url }]));
    await console.waitForSelector('#queue-empty:not([hidden])');
    const host = await harness.hostPage('screen');
    await host.waitForSelector('#help-form');
    await host.fill('#help-name', 'Pat Person');
    await host.fill('#help-description', 'Printer offline');
    await host.click('#help-submit');
    await host.waitForSelector('#help-position');
    const code = await host.textContent('#session-code');
    const requestId = await (await console.waitForSelector('.queue-entry')).getAttribute('data-request-id');

    // The console watches for the entry to go away: it must not, not even for a moment.
    await console.evaluate(() => {
      new MutationObserver(() => {
        if (!document.querySelector('.queue-entry')) (window as unknown as { __lost?: boolean }).__lost = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await host.reload();
    await host.waitForSelector('#help-position');
    expect(await host.textContent('#session-code')).toBe(code);
    expect(await host.textContent('#help-position')).toBe('You are next in the queue.');
    // Nobody was admitted: no "your technician's connection dropped" note.
    expect(await host.isVisible('text=connection to the server dropped')).toBe(false);
    if (process.env.PEERDESK_SHOTS) await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-reloaded-waiting.png` });
    expect(await console.evaluate(() => (window as unknown as { __lost?: boolean }).__lost)).toBeUndefined();
    expect(await console.getAttribute('.queue-entry', 'data-request-id')).toBe(requestId);

    await console.click('.queue-entry .pick');
    await host.waitForSelector('#allow-view');
    expect(await host.textContent('#prompt-title')).toContain('Test Technician');
  }, 180_000);
});
