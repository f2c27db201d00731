import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { E2EHarness } from './e2e-harness';
import { waitForDecodedFrames } from './video-probe';

/** Host shares (screen or a picked window), viewer watches and requests control; returns before any grant. */
export async function watchingSession(harness: E2EHarness, capture: 'screen' | 'window' = 'screen', windowName?: string, query = '') {
  const host = await harness.hostPage(capture, true, query);
  const viewer = await harness.viewerPage(query);
  await E2EHarness.requestToJoin(host, viewer);
  if (windowName) await host.click(`[data-source-id^="window:"]:has-text("${windowName}")`);
  await host.click('#allow-view');
  await waitForDecodedFrames(viewer);
  await viewer.waitForSelector('#request-control:not([disabled])');
  // The host's control relay is up once its bar exists in the DOM.
  await host.waitForSelector('#control-bar', { state: 'attached' });
  return { host, viewer };
}

/** Viewer asks, the host allows through ConsentService (its local prompt), the viewer sees "granted". */
export async function grantControl(harness: E2EHarness, viewer: Page): Promise<void> {
  await viewer.click('#request-control');
  await harness.prompt.shown();
  harness.services.consent.grant();
  await viewer.waitForFunction(() => document.body.dataset.controlState === 'granted');
}

/** Client coordinates of a normalized point of the shared surface inside the viewer's video (letterbox aware). */
export async function videoPoint(viewer: Page, nx: number, ny: number): Promise<{ x: number; y: number }> {
  await viewer.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
  return viewer.evaluate(
    ([x, y]) => {
      const v = document.querySelector('video')!;
      const r = v.getBoundingClientRect();
      const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
      const w = v.videoWidth * scale;
      const h = v.videoHeight * scale;
      return { x: r.left + (r.width - w) / 2 + x * w, y: r.top + (r.height - h) / 2 + y * h };
    },
    [nx, ny],
  );
}

export async function clickAt(viewer: Page, nx: number, ny: number, button: 'left' | 'right' | 'middle' = 'left'): Promise<void> {
  const p = await videoPoint(viewer, nx, ny);
  await viewer.mouse.click(p.x, p.y, { button });
}

/** A click reported by an X application, within 2 px: the viewer's point goes through video scaling and rounding. */
export function expectClick(c: [number, number, number] | undefined, button: number, x: number, y: number): void {
  expect(c?.[0]).toBe(button);
  expect(Math.abs(c![1] - x)).toBeLessThanOrEqual(2);
  expect(Math.abs(c![2] - y)).toBeLessThanOrEqual(2);
}
