import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TechnicianSignIn } from '../../main/services/technician-sign-in';
import { launchChromium } from '../support/browser';
import { E2EHarness } from '../support/e2e-harness';

/**
 * The desktop app's technician sign-in, end to end: main's own TechnicianSignIn service (its loopback listener, PKCE,
 * the exchange), a real signaling server with the dev identity provider (oidc-provider), and a Chromium of its own
 * standing in for the person's system browser, clicked through the provider's login. Then the app's viewer page —
 * the real renderer, given the sign-in calls preload gives it — shows who signed in and joins with the credential on
 * its WebSocket upgrade, and the host's prompt shows the verified name.
 */
let harness: E2EHarness;
let systemBrowser: Browser;
beforeAll(async () => {
  harness = await E2EHarness.start({ devIdp: true, oidcAllowed: ['@example.com'] });
  systemBrowser = await launchChromium({ display: harness.display });
});
afterEach(() => harness.reset());
afterAll(async () => {
  await systemBrowser?.close();
  await harness.stop();
});

const shots = process.env.PEERDESK_SHOTS ?? 'test-results';

/** The system browser: each URL the app opens lands in a new tab, as `shell.openExternal` would. */
function systemBrowserOpener() {
  const urls: string[] = [];
  let opened: (page: Page) => void;
  const next = () => new Promise<Page>((resolve) => (opened = resolve));
  let waiting = next();
  const openExternal = async (url: string) => {
    urls.push(url);
    const page = await systemBrowser.newPage();
    void page.goto(url).catch(() => undefined);
    opened(page);
  };
  return {
    openExternal,
    urls,
    /** The next tab the app opens. */
    async tab(): Promise<Page> {
      const page = await waiting;
      waiting = next();
      return page;
    },
  };
}

/** What a person does in the provider's pages. */
async function signInAtProvider(tab: Page, login = 'tech@example.com'): Promise<void> {
  await tab.waitForSelector('input[name="login"]');
  await tab.fill('input[name="login"]', login);
  await tab.fill('input[name="password"]', 'any password');
  await tab.click('button[type="submit"]');
  await tab.click('button:has-text("Continue")');
}

/** The app's viewer page: the real renderer with the sign-in part of preload's API wired to main's service. */
async function appViewerPage(service: TechnicianSignIn): Promise<Page> {
  return harness.viewerPage('', async (page) => {
    await page.exposeFunction('__pdTechnicianSignIn', () => service.signIn());
    await page.exposeFunction('__pdTechnicianSignOut', () => service.signOut());
    await page.exposeFunction('__pdTechnicianStatus', () => service.status());
    await page.exposeFunction('__pdSignalingUrl', () => harness.server.wsUrl);
    await page.addInitScript(`window.peerdesk = {
      version: 1,
      signalingUrl: () => window.__pdSignalingUrl(),
      technicianSignIn: () => window.__pdTechnicianSignIn(),
      technicianSignOut: () => window.__pdTechnicianSignOut(),
      technicianStatus: () => window.__pdTechnicianStatus(),
    };`);
  });
}

describe('desktop app: technician sign-in through the system browser (RFC 8252 loopback redirect)', () => {
  it('signs in in the system browser, shows the name in the app, and the host’s prompt shows the verified technician', async () => {
    const browser = systemBrowserOpener();
    const service = new TechnicianSignIn({ signalingUrl: () => harness.server.wsUrl, openExternal: browser.openExternal });
    const viewer = await appViewerPage(service);
    await viewer.waitForSelector('#sign-in-status[data-signed-in="false"] #sign-in');
    await viewer.screenshot({ path: `${shots}/desktop-sign-in-signed-out.png` });

    await viewer.click('#sign-in');
    const tab = await browser.tab();
    // What the app asked the browser to open: the server's app login, with a loopback redirect and a PKCE challenge.
    const opened = new URL(browser.urls[0]);
    expect(opened.pathname).toBe('/auth/app/login');
    expect(opened.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(opened.searchParams.get('code_challenge_method')).toBe('S256');
    await viewer.waitForSelector('#sign-in-note:has-text("finish signing in in your browser")');
    await viewer.screenshot({ path: `${shots}/desktop-sign-in-waiting.png` });
    await signInAtProvider(tab);

    // The browser ends on the app's loopback page; no token in its address, only the one-time code and the state.
    await tab.waitForSelector('#result:has-text("Signed in")');
    expect(await tab.textContent('#next')).toBe('You can close this tab and return to PeerDesk.');
    const landed = new URL(tab.url());
    expect(landed.hostname).toBe('127.0.0.1');
    expect([...landed.searchParams.keys()].sort()).toEqual(['code', 'state']);
    await tab.screenshot({ path: `${shots}/desktop-sign-in-browser-done.png` });
    // The one-time code was spent by the app: loading the page again finds no listener.
    await expect(tab.reload()).rejects.toThrow();

    await viewer.waitForSelector('#sign-in-status[data-signed-in="true"]');
    expect(await viewer.textContent('#sign-in-status')).toBe('Signed in as Test Technician (tech@example.com) · Sign out');
    expect(await viewer.inputValue('#join-name')).toBe('Test Technician');
    await viewer.screenshot({ path: `${shots}/desktop-sign-in-signed-in.png` });
    // Nothing the page can read holds the credential.
    expect(JSON.stringify(await viewer.evaluate(() => window.peerdesk!.technicianStatus!()))).not.toMatch(/credential|ey[A-Za-z0-9_-]{20}/);

    // Stand-in for main's webRequest hook (main/adapters/technician-sign-in.ts): the header the service gives for the
    // server's /ws goes on the page's WebSocket upgrade.
    const authorization = await service.authorizationFor(harness.server.wsUrl);
    expect(authorization).toMatch(/^Bearer /);
    await viewer.setExtraHTTPHeaders({ Authorization: authorization! });

    const host = await harness.hostPage();
    const { code, pin } = await E2EHarness.sessionCredentials(host);
    await viewer.fill('#join-code', code);
    await viewer.fill('#join-pin', pin);
    await viewer.click('#join-submit');
    await host.waitForSelector('#allow-view');
    const panel = host.locator('#asker-identity');
    expect(await panel.getAttribute('data-verified')).toBe('true');
    const text = await panel.innerText();
    for (const part of ['Verified technician', 'Test Technician', 'tech@example.com', 'Example IT', 'Signed in with 127.0.0.1:'])
      expect(text).toContain(part);
    expect(await host.locator('#prompt-title').innerText()).toBe('Test Technician wants to see your screen');
    await host.waitForSelector('#allow-view:not([disabled])');
    await host.screenshot({ path: `${shots}/desktop-sign-in-host-prompt.png`, fullPage: true });

    // Signed out in the app: the status says so and no header is given any more.
    service.signOut();
    expect(await service.status()).toEqual({ enabled: true, technician: null });
    expect(await service.authorizationFor(harness.server.wsUrl)).toBeUndefined();
  }, 240_000);

  it('someone the policy refuses sees the server’s page in the browser, and the app stays signed out', async () => {
    const browser = systemBrowserOpener();
    const service = new TechnicianSignIn({
      signalingUrl: () => harness.server.wsUrl,
      openExternal: browser.openExternal,
      timeoutMs: 30_000,
    });
    const signingIn = service.signIn();
    signingIn.catch(() => undefined);
    const tab = await browser.tab();
    await signInAtProvider(tab, 'visitor@elsewhere.example');
    await tab.waitForSelector('#auth-result');
    expect(await tab.textContent('#auth-result h2')).toBe('Not a technician here');
    service.signOut();
    await expect(signingIn).rejects.toMatchObject({ code: 'SIGN_IN_ERR_CANCELLED' });
    expect((await service.status()).technician).toBeNull();
  }, 120_000);
});
