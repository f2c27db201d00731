import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_HEX } from '../../../protocol/annotation-messages';
import { startSignalingServer, type RunningSignalingServer } from '../../../signaling/server';
import { launchChromium } from '../../support/browser';

/**
 * The preload API as the overlay window gets it: only the subscription main pushes marks on. The test plays main,
 * calling the page's listener as the IPC event would.
 */
const OVERLAY_API_STUB = `{
  window.peerdesk = {
    version: 1,
    onOverlayMarks: (listener) => { window.__overlay = listener; return () => { window.__overlay = undefined; }; },
  };
}`;

/** The desktop overlay page (`?window=overlay`) in Chromium: a see-through page that paints what main forwards. */
describe('desktop overlay page', () => {
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

  async function open(): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 400, height: 300 } })).newPage();
    await page.addInitScript(OVERLAY_API_STUB);
    await page.goto(`${server.url}/?window=overlay`);
    await page.waitForSelector('#overlay-canvas');
    await page.waitForFunction(() => typeof (window as unknown as { __overlay?: unknown }).__overlay === 'function');
    return page;
  }
  const forward = (page: Page, message: unknown) =>
    page.evaluate((m) => (window as unknown as { __overlay: (m: unknown) => void }).__overlay(m), message);
  /** One canvas pixel as [r, g, b, a]. */
  const pixel = (page: Page, x: number, y: number) =>
    page.evaluate(
      ([px, py]) =>
        Array.from(document.querySelector<HTMLCanvasElement>('#overlay-canvas')!.getContext('2d')!.getImageData(px, py, 1, 1).data),
      [x, y],
    );
  const hex = (color: string) => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));

  it('paints a forwarded mark where the shared surface’s coordinates say, on a transparent page, and clears on off', async () => {
    const page = await open();
    // Nothing of the page itself shows over the shared screen: no brand bar, no background.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    expect(await page.isVisible('.brand')).toBe(false);
    expect(await page.evaluate(() => document.querySelector('#overlay-canvas')!.getBoundingClientRect().toJSON())).toMatchObject({
      x: 0,
      y: 0,
      width: 400,
      height: 300,
    });
    expect(await pixel(page, 100, 150)).toEqual([0, 0, 0, 0]);

    // A pinned rectangle from (0.25, 0.25) to (0.75, 0.75): its left edge runs down x = 100 of a 400 px window.
    await forward(page, {
      t: 'mark',
      id: 1,
      shape: { kind: 'rect', from: { x: 0.25, y: 0.25 }, to: { x: 0.75, y: 0.75 } },
      color: 'red',
      pinned: true,
    });
    await expect.poll(() => pixel(page, 100, 150)).toEqual([...hex(COLOR_HEX.red), 255]);
    // Inside the rectangle the shared screen still shows through.
    expect(await pixel(page, 200, 150)).toEqual([0, 0, 0, 0]);

    await forward(page, { t: 'off' });
    await expect.poll(() => pixel(page, 100, 150)).toEqual([0, 0, 0, 0]);
  });
});
