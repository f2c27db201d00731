import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForDecodedFrames } from '../support/video-probe';
import { E2EHarness } from '../support/e2e-harness';
import { attachVerifiedIdentity, relayTypedName, TINA } from '../support/verified-server';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** Every state the host page went through, so a test can prove a prompt never showed (not only that none is left). */
const recordHostStates = async (page: Page): Promise<void> =>
  void (await page.addInitScript(`
    window.__hostStates = [];
    new MutationObserver(() => {
      const s = document.body.dataset.hostState;
      if (s && window.__hostStates.at(-1) !== s) window.__hostStates.push(s);
    }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ['data-host-state'] });
  `));
const hostStates = (page: Page) => page.evaluate(() => (window as unknown as { __hostStates: string[] }).__hostStates);

async function join(host: Page, viewer: Page, name: string): Promise<void> {
  const { code, pin } = await E2EHarness.sessionCredentials(host);
  await viewer.fill('#join-code', code);
  await viewer.fill('#join-pin', pin);
  await viewer.fill('#join-name', name);
  await viewer.click('#join-submit');
}

describe('who is asking: a verified technician and a typed name never look alike', () => {
  it('verified: name, email, organisation and issuer on the prompt; the sharing bar and main’s control prompt say so too', async () => {
    const host = await harness.hostPage('screen', true, '', (page) => attachVerifiedIdentity(page, TINA));
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer, 'tina');
    const panel = host.locator('#asker-identity');
    expect(await panel.getAttribute('data-verified')).toBe('true');
    const text = await panel.innerText();
    for (const part of [
      'Verified technician',
      'Tina Smith',
      'tina.smith@example.com',
      'Example IT Services',
      'Signed in with login.example.com',
    ])
      expect(text).toContain(part);
    expect(await host.locator('#prompt-title').innerText()).toBe('Tina Smith wants to see your screen');
    expect(await host.locator('#prompt-title').innerText()).not.toContain('says they are');
    if (process.env.PEERDESK_SHOTS) {
      await host.waitForSelector('#allow-view:not([disabled])');
      await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-consent-verified.png`, fullPage: true });
    }
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    // Next to the security code, once connected.
    await host.waitForFunction(() => /^\d{3} \d{3}$/.test(document.querySelector('#security-code')?.textContent ?? ''));
    expect(await host.locator('#identity-tag').innerText()).toBe('✓ Verified: Tina Smith, Example IT Services');
    expect(await host.locator('#identity-tag').getAttribute('class')).toContain('verified');
    expect(await host.textContent('#log-list')).toContain(
      'Tina Smith joined (verified: tina.smith@example.com, signed in with login.example.com)',
    );
    // Main's control prompt gets the identity from the page that admitted them.
    await viewer.waitForSelector('#request-control:not([disabled])');
    await viewer.click('#request-control');
    await harness.prompt.shown();
    expect(harness.prompt.identities.at(-1)).toEqual(TINA);
  });

  it('a typed name dressed as a verified one is refused by the server; the host never sees it', async () => {
    const host = await harness.hostPage('screen', true, '', recordHostStates);
    const viewer = await harness.viewerPage();
    await join(host, viewer, 'IT Support (verified) admin@example.com');
    await viewer.waitForSelector('#join-error');
    expect(await viewer.locator('#join-error').innerText()).toContain('Choose another name');
    expect(await hostStates(host)).not.toContain('prompt');
  });

  it('not verified: the prompt says the name was typed, and a name dressed as a verified one (from a permissive server) gets its own warning', async () => {
    const host = await harness.hostPage('screen', true, '', (page) => relayTypedName(page, 'IT Support (verified) admin@example.com'));
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer, 'Tina from IT');
    const panel = host.locator('#asker-identity');
    expect(await panel.getAttribute('data-verified')).toBe('false');
    expect(await panel.innerText()).toContain('Not verified — this name was typed by the person asking');
    expect(await host.locator('#imitation-warning').isVisible()).toBe(true);
    expect(await host.locator('#prompt-title').innerText()).toContain('Someone who says they are');
    expect(await host.locator('.prompt .warning').innerText()).toContain('support staff never call you first');
    // The two panels are visibly different, not only in words.
    const colour = await panel.evaluate((e) => getComputedStyle(e).borderTopColor);
    expect(colour).not.toBe('rgb(26, 127, 55)');
    if (process.env.PEERDESK_SHOTS) {
      await host.waitForSelector('#allow-view:not([disabled])');
      await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-consent-unverified.png`, fullPage: true });
    }
    await host.click('#allow-view');
    await host.waitForSelector('#identity-tag');
    expect(await host.locator('#identity-tag').innerText()).toBe('Not verified');
  });

  it('“Only verified technicians” on the Get-help screen: an unsigned join is declined at once, never shown as a prompt', async () => {
    const host = await harness.hostPage('screen', true, '', recordHostStates);
    await host.check('#only-verified');
    const viewer = await harness.viewerPage();
    await join(host, viewer, 'Tina from IT');
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'ended');
    await host.waitForFunction(() => document.querySelector('.notice')?.textContent?.includes('declined automatically'));
    expect(await host.locator('.notice').innerText()).toContain('“Tina from IT” was declined automatically: they are not signed in');
    expect(await hostStates(host)).not.toContain('prompt');
    expect(await host.evaluate(() => (window as unknown as { __captureCalls: number }).__captureCalls)).toBe(0);
  });

  it('“from: contoso.org”: a technician verified by another organisation is declined; one from the listed domain is asked about', async () => {
    const outsider = await harness.hostPage('screen', true, '', async (page) => {
      await recordHostStates(page);
      await attachVerifiedIdentity(page, TINA);
    });
    await outsider.check('#only-verified');
    await outsider.fill('#verified-domains', 'contoso.org');
    const viewer = await harness.viewerPage();
    await join(outsider, viewer, 'tina');
    await outsider.waitForFunction(() => document.querySelector('.notice')?.textContent?.includes('declined automatically'));
    expect(await outsider.locator('.notice').innerText()).toContain('you accept only technicians from contoso.org');
    expect(await hostStates(outsider)).not.toContain('prompt');

    // A technician from a listed domain gets the prompt as usual.
    const insider = await harness.hostPage('screen', true, '', (page) => attachVerifiedIdentity(page, TINA));
    await insider.check('#only-verified');
    await insider.fill('#verified-domains', 'contoso.org, example.com');
    const viewer2 = await harness.viewerPage();
    await E2EHarness.requestToJoin(insider, viewer2, 'tina');
    expect(await insider.locator('#asker-identity').getAttribute('data-verified')).toBe('true');
  });
});
