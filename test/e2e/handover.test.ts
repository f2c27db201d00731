import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames } from '../support/video-probe';
import { SECRET, technicianCookie } from '../signaling/queue/technician';

/**
 * Hand-over in Chromium over real WebRTC: Tina picks a request from her console and the person allows her; she
 * hands the session to Olga by name. Tina's view ends, the person's sharing stops and they read who handed them to
 * whom; only Olga's console shows the request; Olga picks it and the person's prompt names Olga (verified) and says
 * Tina handed it over; after a new Allow, Olga sees the screen.
 */
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start({ devIdp: true, sessionSecret: SECRET, helpRequestsPerAddressPerHour: 1000, teams: ['network'] });
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

const shot = (page: Page, name: string) =>
  process.env.PEERDESK_SHOTS ? page.screenshot({ path: `${process.env.PEERDESK_SHOTS}/${name}.png` }) : undefined;

async function consoleOf(email: string, name: string): Promise<Page> {
  const [cookieName, ...value] = (await technicianCookie(harness.server, email, name)).split('=');
  const page = await harness.consolePage((p) =>
    p.context().addCookies([{ name: cookieName, value: value.join('='), url: harness.server.url }]),
  );
  page.setDefaultTimeout(20_000);
  await page.waitForSelector('#queue-empty:not([hidden]), .queue-entry');
  return page;
}

describe('handing a session over', () => {
  it('to a named colleague: the old view ends, the person allows the new, verified technician again', async () => {
    const tina = await consoleOf('tina@example.com', 'Tina Tech');
    const olga = await consoleOf('olga@example.com', 'Olga Other');
    const ben = await consoleOf('ben@example.com', 'Ben Bystander');
    const host = await harness.hostPage('screen');
    host.setDefaultTimeout(20_000);
    await host.waitForSelector('#help-form');
    await host.fill('#help-name', 'Pat Person');
    await host.fill('#help-description', 'Printer offline');
    await host.click('#help-submit');
    await tina.click('.queue-entry .pick');
    await host.waitForSelector('#allow-view');
    await host.click('#allow-view');
    await host.waitForSelector('#sharing-text');
    await waitForDecodedFrames(tina);

    await tina.click('#handover-menu summary');
    await tina.fill('#handover-email', 'olga@example.com');
    await tina.fill('#handover-note', 'Needs the print-server admin <b>now</b>');
    await shot(tina, 'viewer-handover-menu');
    await tina.click('#handover-colleague');

    // Tina's part ends: her page shows why, and no video is left on it.
    await tina.waitForSelector('text=Session handed over');
    expect(await tina.$('video')).toBeNull();
    // The person stops sharing and reads who handed them to whom.
    await host.waitForSelector('#help-notice');
    expect(await host.$('#sharing-text')).toBeNull();
    expect(await host.textContent('#help-notice')).toBe(
      'Tina Tech handed your session over to olga@example.com. Nobody sees your screen until you allow the next technician.',
    );
    await host.waitForSelector('#help-position');
    await shot(host, 'host-handed-over-waiting');

    const entry = await olga.waitForSelector('.queue-entry');
    expect(await entry.$eval('.handover', (e) => e.textContent)).toBe('Handed over by Tina Tech — to you');
    expect(await entry.$eval('.description', (e) => e.textContent)).toBe('Needs the print-server admin <b>now</b>');
    await shot(olga, 'console-handed-over');
    // Handed to Olga by name: Ben's console never shows it.
    expect(await ben.$('.queue-entry')).toBeNull();

    await olga.click('.queue-entry .pick');
    await host.waitForSelector('#allow-view');
    expect(await host.textContent('#prompt-title')).toContain('Olga Other');
    expect(await host.textContent('#handed-over-by')).toBe('Tina Tech (verified) handed your session to them.');
    await shot(host, 'host-consent-handed-over');
    await host.click('#allow-view');
    await host.waitForSelector('#sharing-text');
    await waitForDecodedFrames(olga);
    // Four browsers on a shared two-core machine: starting them alone can take most of a minute.
  }, 180_000);
});
