import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { launchChromium } from '../support/browser';
import { DESKTOP_API_STUB } from '../support/desktop-api-stub';

/** The desktop app's extra windows are the same renderer page; here Chromium renders them with the preload API stubbed. */
describe('desktop windows (consent prompt, indicator, settings)', () => {
  let server: RunningSignalingServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), staticDir: 'dist/renderer' });
    browser = await launchChromium({ display: process.env.DISPLAY! });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(query: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 480, height: 460 } })).newPage();
    await page.addInitScript(DESKTOP_API_STUB);
    await page.goto(`${server.url}/?${query}`);
    return page;
  }
  const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls: unknown[][] }).__calls);

  it('home: a neutral heading has the focus, so Enter starts nothing', async () => {
    const page = await open('');
    await page.waitForSelector('#get-help');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('home-title');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.body.dataset.screen)).toBe('home');
    expect(await page.evaluate(() => document.body.dataset.hostState)).toBeUndefined();
  });

  it('consent: Deny has the focus, so Enter denies, and an answer is final', async () => {
    const page = await open('window=consent&viewer=Tina%20from%20IT');
    await expect
      .poll(() => page.textContent('#consent-title'))
      .toBe('Someone who says they are “Tina from IT” wants to control your mouse and keyboard');
    expect(await page.textContent('.consent-window')).toContain('they can move your mouse, click and type');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('deny-control');
    expect(await page.isDisabled('#allow-control')).toBe(true);
    await page.keyboard.press('Enter');
    expect(await calls(page)).toEqual([['answer', false, false]]);
    // Answered: both buttons are done, a later click cannot change the answer.
    expect(await page.isDisabled('#allow-control')).toBe(true);
    expect(await page.isDisabled('#deny-control')).toBe(true);
  });

  it('consent: a verified technician (identity from main) is shown as verified; anything else in its place is not', async () => {
    const identity = { name: 'Tina Smith', email: 'tina.smith@example.com', org: 'Example IT Services', issuer: 'login.example.com' };
    const query = new URLSearchParams({ window: 'consent', viewer: 'Tina Smith', identity: JSON.stringify(identity) });
    const page = await open(query.toString());
    await expect.poll(() => page.textContent('#consent-title')).toBe('Tina Smith wants to control your mouse and keyboard');
    expect(await page.getAttribute('#asker-identity', 'data-verified')).toBe('true');
    expect(await page.textContent('#asker-identity')).toContain('Signed in with login.example.com');
    const forged = new URLSearchParams({ window: 'consent', viewer: 'Tina', identity: JSON.stringify({ ...identity, admin: true }) });
    const other = await open(forged.toString());
    await expect.poll(() => other.getAttribute('#asker-identity', 'data-verified')).toBe('false');
    expect(await other.textContent('#asker-identity')).toContain('Not verified — this name was typed by the person asking');
  });

  it('consent: Allow becomes available after the input delay and then grants', async () => {
    const page = await open('window=consent&viewer=Tina');
    const shownAt = Date.now();
    await page.click('#allow-control', { force: true }); // a click that lands at once does nothing
    expect(await calls(page)).toEqual([]);
    await page.waitForSelector('#allow-control:not([disabled])');
    expect(Date.now() - shownAt).toBeGreaterThanOrEqual(1300);
    await page.click('#allow-control');
    expect(await calls(page)).toEqual([['answer', true, false]]);
  });

  it('consent: "Don’t ask again" goes with the Deny', async () => {
    const page = await open('window=consent&viewer=Tina');
    await page.check('#dont-ask-again');
    await page.click('#deny-control');
    expect(await calls(page)).toEqual([['answer', false, true]]);
    expect(await page.isDisabled('#dont-ask-again')).toBe(true);
  });

  it('indicator: says who controls what, and Stop asks main to stop', async () => {
    const page = await open('window=indicator&viewer=Tina&source=Entire%20screen&control=granted');
    await expect.poll(() => page.textContent('#indicator-text')).toBe('Tina is controlling this computer');
    await page.click('#indicator-stop');
    expect(await calls(page)).toEqual([['stop']]);
    const sharing = await open('window=indicator&viewer=Tina&source=Mail&control=none');
    await expect.poll(() => sharing.textContent('#indicator-text')).toBe('Sharing Mail with Tina');
    expect(await sharing.textContent('#identity-tag')).toBe('Not verified');
    const verified = await open('window=indicator&viewer=Tina%20Smith&source=Mail&control=none&verified=yes');
    await expect.poll(() => verified.textContent('#identity-tag')).toBe('✓ Verified');
  });

  it('host screen: shows where a browser on the LAN connects, and the platform’s notices, before anything is shared', async () => {
    const page = await open('role=host');
    await page.setViewportSize({ width: 900, height: 900 });
    await page.waitForSelector('#session-code');
    expect(await page.textContent('#lan-url')).toBe('A technician on this network can also open http://192.168.1.20:8787 in a browser.');
    expect(await page.textContent('[data-notice="linux-wayland"] strong')).toBe('You are in a Wayland session');
  });

  it('settings: a bad shortcut is refused with the field named; a good form is saved as typed', async () => {
    const page = await open('');
    await page.setViewportSize({ width: 900, height: 760 });
    await page.click('#open-settings');
    expect(await page.inputValue('#setting-displayName')).toBe('Tina from IT');
    await page.fill('#setting-revokeHotkey', 'X');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-message')).toMatch(/^Take-back-control shortcut: /);
    expect(await calls(page)).toEqual([]);
    await page.fill('#setting-revokeHotkey', 'Control+Alt+Shift+K');
    await page.fill('#setting-lanPort', '9000');
    await page.fill('#setting-signalingUrl', 'wss://help.example.com/ws');
    // The download folder must be a full path: a relative one would land wherever the app was started from.
    await page.fill('#setting-downloadFolder', 'Downloads/peerdesk');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-message')).toMatch(/^Save received files in: a full folder path/);
    expect(await calls(page)).toEqual([]);
    await page.fill('#setting-downloadFolder', 'C:\\Users\\tina\\Tickets');
    await page.fill('#setting-maxFileMiB', '100');
    await page.check('#setting-onlyVerified');
    await page.fill('#setting-verifiedDomains', 'example.com com');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-message')).toMatch(/^Only verified technicians from: email domains/);
    expect(await calls(page)).toEqual([]);
    await page.fill('#setting-verifiedDomains', 'example.com, contoso.org');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-message')).toMatch(/^Saved/);
    expect(await calls(page)).toEqual([
      [
        'save',
        {
          signalingUrl: 'wss://help.example.com/ws',
          displayName: 'Tina from IT',
          revokeHotkey: 'Control+Alt+Shift+K',
          lanPort: 9000,
          downloadFolder: 'C:\\Users\\tina\\Tickets',
          maxFileMiB: 100,
          onlyVerified: true,
          verifiedDomains: 'example.com, contoso.org',
        },
      ],
    ]);
  });
});
