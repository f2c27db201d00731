import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_FEEDBACK_MS } from '../../renderer/host/ready-card';
import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import { E2EHarness } from '../support/e2e-harness';
import { DESKTOP_API_STUB } from '../support/desktop-api-stub';
import { watchingSession } from '../support/control-session';
import { waitForDecodedFrames } from '../support/video-probe';

// What a new user ran into, one test each.
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

describe('rough edges a new user hits', () => {
  it('a PIN pasted as "580 455" or "580-455" keeps all six digits', async () => {
    const viewer = await harness.viewerPage();
    for (const pasted of ['580 455', '580-455', ' 580455 ']) {
      await viewer.fill('#join-pin', '');
      await viewer.focus('#join-pin');
      await viewer.keyboard.insertText(pasted); // arrives as a paste does: one insertion, no key events
      expect(await viewer.inputValue('#join-pin')).toBe('580455');
    }
  });

  it('a wrong PIN brings the form back with the error and the code still in it (only the PIN to type again)', async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    const { code, pin } = await E2EHarness.sessionCredentials(host);
    await viewer.fill('#join-code', code);
    await viewer.fill('#join-pin', pin === '000000' ? '000001' : '000000');
    await viewer.fill('#join-name', 'Tina from IT');
    await viewer.click('#join-submit');
    await viewer.waitForSelector('#join-error');
    expect(await viewer.inputValue('#join-code')).toBe(code);
    expect(await viewer.evaluate(() => document.activeElement?.id)).toBe('join-pin');
  });

  it('the invite link keeps the PIN in its fragment: no request of the viewer page carries it, and it leaves the address bar once read', async () => {
    const host = await harness.hostPage('screen');
    await host.locator('button', { hasText: /^Copy invite link$/ }).click();
    const invite = await host.evaluate(() => navigator.clipboard.readText());
    const { code, pin } = await E2EHarness.sessionCredentials(host);
    const url = new URL(invite);
    expect(`${url.origin}${url.pathname}${url.search}`).not.toContain(pin);
    expect(new URLSearchParams(url.hash.replace(/^#join\?/, '')).get('pin')).toBe(pin);
    const viewer = await harness.viewerPage();
    const requested: string[] = [];
    viewer.on('request', (r) => requested.push(r.url()));
    await viewer.goto(invite);
    await viewer.waitForFunction((p) => (document.querySelector('#join-pin') as HTMLInputElement | null)?.value === p, pin);
    expect(await viewer.inputValue('#join-code')).toBe(code);
    expect(viewer.url()).not.toContain(pin);
    expect(requested.filter((u) => u.includes(`pin=${pin}`))).toEqual([]);
  });

  it('"Copy invite link" says Copied, then goes back', async () => {
    const host = await harness.hostPage('screen');
    const copy = host.locator('button', { hasText: /^Copy invite link$/ });
    await copy.click();
    await host.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Copied'));
    const copiedAt = Date.now();
    await host.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Copy invite link'));
    expect(Date.now() - copiedAt).toBeGreaterThan(COPIED_FEEDBACK_MS - 500);
  });

  it('against a browser host, Request control is disabled with the reason before anyone clicks it', async () => {
    const host = await harness.hostPage('screen', false);
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    await viewer.waitForSelector('#request-control[disabled]');
    expect(await viewer.textContent('#control-state')).toBe('Control needs the PeerDesk desktop app on their side');
    expect(await viewer.getAttribute('#request-control', 'title')).toBe('Control needs the PeerDesk desktop app on their side');
  });

  it('the consent prompt is up at once while the screens and windows are listed; Allow waits for the list', async () => {
    // The list is held back until the test lets it go (main can take a while to enumerate windows).
    const host = await harness.hostPage('screen', true, '', async (page) => {
      await page.addInitScript(`{
        const list = window.peerdesk.listSources;
        const gate = new Promise((resolve) => (window.__releaseSources = resolve));
        window.peerdesk.listSources = async (options) => (await gate, list(options));
      }`);
    });
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    expect(await host.textContent('#prompt-title')).toContain('wants to see your screen');
    expect(await host.textContent('.source-list')).toBe('Finding your screens and windows…');
    // Past the input delay Allow would be armed; without a list it must not be (checked once that moment has passed).
    await host.waitForTimeout(CONTROL_PROMPT_INPUT_DELAY_MS + 300);
    expect(await host.isDisabled('#allow-view')).toBe(true);
    await host.evaluate(() => (window as never as { __releaseSources: () => void }).__releaseSources());
    await host.waitForSelector('#allow-view:not([disabled])');
    expect(await host.isChecked('.source input[value="screen:0:0"]')).toBe(true);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
  });

  it('a capture that fails is named a technical failure on both sides, not a refusal', async () => {
    const host = await harness.hostPage('screen', false, '', async (page) => {
      await page.addInitScript(
        `navigator.mediaDevices.getDisplayMedia = async () => { throw new DOMException('Could not start video source', 'NotReadableError'); };`,
      );
    });
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await viewer.waitForSelector('#end-reason');
    expect(await viewer.textContent('#end-reason')).toContain('technical problem, not a refusal');
    expect(await host.textContent('.notice')).toContain('Sharing could not start: Could not start video source');
  });

  it('at 640 px the toolbar wraps and Leave stays on screen; at 1400 px it is one row', async () => {
    const { viewer } = await watchingSession(harness, 'screen');
    for (const [width, rows] of [
      [640, 'several'],
      [1400, 'one'],
    ] as const) {
      await viewer.setViewportSize({ width, height: 720 });
      const leave = (await viewer.locator('#leave').boundingBox())!;
      expect(leave.x + leave.width).toBeLessThanOrEqual(width);
      const first = (await viewer.locator('#request-control').boundingBox())!;
      if (rows === 'one') expect(Math.abs(leave.y - first.y)).toBeLessThan(4);
      else expect(leave.y).toBeGreaterThan(first.y + 10); // Leave moved to a second row
    }
  });

  it('shows a spinner while connecting and until the first frame is on screen', async () => {
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    expect(await viewer.locator('.status.busy').count()).toBe(1); // waiting for the host's Allow
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer);
    await viewer.waitForSelector('#awaiting-frame', { state: 'detached' });
  });

  it('"Could not start a session" when no session ever existed', async () => {
    const page = await (await harness.viewerPage()).context().newPage();
    await page.addInitScript(DESKTOP_API_STUB);
    await page.addInitScript(`window.peerdesk.signalingUrl = async () => 'ws://127.0.0.1:9/ws';`);
    await page.goto(harness.server.url);
    await page.click('#get-help');
    await page.waitForSelector('#end-reason');
    expect(await page.textContent('.card h2')).toBe('Could not start a session');
  });

  it('follows the system’s dark mode', async () => {
    const viewer = await harness.viewerPage();
    const background = () => viewer.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await viewer.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await viewer.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    const luminance = (rgb: string) =>
      rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .map(Number)
        .reduce((a, b) => a + b, 0);
    expect(luminance(light)).toBeGreaterThan(600);
    expect(luminance(dark)).toBeLessThan(150);
  });
});
