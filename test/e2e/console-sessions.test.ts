import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningSignalingServer } from '../../signaling/server';
import { launchChromium } from '../support/browser';
import { freshAuditUrl } from '../signaling/audit/audit-db';
import { cookieFor, scriptedSession, sha256, start, OLLIE, TINA } from '../signaling/audit/audit-http';

/**
 * The console's sessions in Chromium: three sessions are recorded by one server (written when it closes), and a
 * second server on the same SQLite file serves the console page and the audit routes. A file name carrying markup
 * must show as text.
 */
const MARKUP = '<img src=x onerror="window.__xss=1">.ps1';

let server: RunningSignalingServer;
let browser: Browser;

beforeAll(async () => {
  const auditDb = await freshAuditUrl('sqlite');
  const writer = await start({ auditDb });
  await scriptedSession(writer, await cookieFor(writer, TINA), MARKUP);
  await scriptedSession(writer, await cookieFor(writer, OLLIE));
  await scriptedSession(writer);
  await writer.close();
  server = await start({ auditDb, staticDir: 'dist/renderer' });
  browser = await launchChromium({ display: process.env.DISPLAY ?? ':0' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function consoleAs(email: string, admin: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
  const [name, ...value] = (await cookieFor(server, email, admin)).split('=');
  await context.addCookies([{ name, value: value.join('='), url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/console`);
  await page.waitForSelector('#sessions-status:not(.busy)');
  return page;
}

describe('console sessions', () => {
  it('an admin sees all sessions, filters by technician, opens a timeline and copies a ticket summary; markup stays text', async () => {
    const page = await consoleAs('boss@example.com', true);
    expect(await page.textContent('#sessions-title')).toBe('All sessions');
    expect(await page.$$eval('.session-row .technician', (els) => els.map((e) => e.textContent))).toEqual([
      '"Typed Name" (typed name, not verified)',
      expect.stringMatching(/^ollie <ollie@example\.com>, Example IT \(verified, signed in with 127\.0\.0\.1:\d+\)$/),
      expect.stringMatching(/^tina <tina@example\.com>/),
    ]);
    expect(await page.getAttribute('#export-csv', 'href')).toMatch(/^\/api\/audit\/export\?format=csv&from=.+&to=.+/);

    const tina = page.locator('.session-row').nth(2);
    await tina.locator('summary').click();
    await tina.locator('.copy-summary').click();
    const summary = await tina.locator('.ticket-summary').inputValue();
    expect(summary).toContain('Technician: tina <tina@example.com>, Example IT (verified');
    expect(summary).toContain(`  - sent ${MARKUP}, 99 bytes, SHA-256 ${sha256}`);
    expect(summary).toMatch(/^Shared: screen; remote control$/m);
    expect(await tina.locator('.timeline li').count()).toBe(8);
    expect(await tina.locator('.timeline').textContent()).toContain(`name: ${MARKUP}`);
    expect(await page.$$('.sessions img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    if (process.env.PEERDESK_SHOTS) await page.screenshot({ path: `${process.env.PEERDESK_SHOTS}/console-sessions.png`, fullPage: true });

    await page.fill('#sessions-technician', OLLIE);
    await page.click('#sessions-show');
    await page.waitForFunction(() => document.querySelectorAll('.session-row').length === 1);
    expect(await page.textContent('.session-row .technician')).toContain(OLLIE);
    expect(await page.getAttribute('#export-jsonl', 'href')).toContain(`technician=${encodeURIComponent(OLLIE)}`);
    const exported = await page.evaluate(async (href) => (await fetch(href!)).text(), await page.getAttribute('#export-jsonl', 'href'));
    expect(exported.trim().split('\n')).toHaveLength(8);
    await page.context().close();
  });

  it('a technician sees "My sessions": their own only, with no technician filter', async () => {
    const page = await consoleAs(OLLIE, false);
    expect(await page.textContent('#sessions-title')).toBe('My sessions');
    expect(await page.$('#sessions-technician')).toBeNull();
    expect(await page.$$eval('.session-row .technician', (els) => els.map((e) => e.textContent))).toEqual([
      expect.stringMatching(/^ollie <ollie@example\.com>/),
    ]);
    await page.context().close();
  });

  it('filters by person and outcome; the export link carries the filters', async () => {
    const page = await consoleAs('boss@example.com', true);
    await page.selectOption('#sessions-outcome', 'declined');
    await page.click('#sessions-show');
    await page.waitForFunction(() => document.querySelector('#sessions-status')?.textContent === 'No sessions in these days match.');
    await page.selectOption('#sessions-outcome', 'allowed');
    await page.fill('#sessions-person', 'nobody');
    await page.click('#sessions-show');
    await page.waitForFunction(() => document.querySelectorAll('.session-row').length === 0);
    expect(await page.getAttribute('#export-csv', 'href')).toMatch(/&person=nobody&outcome=allowed$/);
    await page.fill('#sessions-person', '');
    await page.click('#sessions-show');
    await page.waitForFunction(() => document.querySelectorAll('.session-row').length === 3);
    if (process.env.PEERDESK_SHOTS) await page.screenshot({ path: `${process.env.PEERDESK_SHOTS}/console-filters.png` });
    await page.context().close();
  });

  it('a server without audit trail says so, with nothing to filter or export', async () => {
    const plain = await start({ staticDir: 'dist/renderer' });
    try {
      const context = await browser.newContext();
      const [name, ...value] = (await cookieFor(plain, TINA)).split('=');
      await context.addCookies([{ name, value: value.join('='), url: plain.url }]);
      const page = await context.newPage();
      await page.goto(`${plain.url}/console`);
      await page.waitForSelector('#sessions-status:not(.busy)');
      expect(await page.textContent('#sessions-status')).toBe('The audit trail is off on this server (start it with --audit-db).');
      expect(await page.isVisible('#export-csv')).toBe(false);
      expect(await page.isVisible('#sessions-from')).toBe(false);
      await context.close();
    } finally {
      await plain.close();
    }
  });
});
