import type { Page } from 'playwright-core';

/** Waits until the viewer's video has decoded real frames (the first rVFC may be a placeholder). */
export async function waitForDecodedFrames(page: Page, minFrames = 2, timeoutMs = 20_000): Promise<void> {
  // The predicate must be synchronous: a Promise is truthy, and waitForFunction would pass at once.
  await page.waitForFunction(
    (min) => {
      const v = document.querySelector('video');
      if (!v || v.videoWidth === 0) return false;
      const q = v.getVideoPlaybackQuality?.();
      return (q?.totalVideoFrames ?? 0) >= min;
    },
    minFrames,
    { timeout: timeoutMs, polling: 100 },
  );
}

/**
 * The colour at a point of the viewer's video, given as fractions of the frame.
 * The frame is drawn scaled down to 16×10 and the cell read (a 1×1 read of an I420 frame reads black).
 */
export function sampleVideoColor(page: Page, fx = 0.5, fy = 0.5): Promise<[number, number, number]> {
  return page.evaluate(
    ([x, y]) => {
      const v = document.querySelector('video')!;
      const c = document.createElement('canvas');
      c.width = 16;
      c.height = 10;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(v, 0, 0, 16, 10);
      const d = ctx.getImageData(Math.min(15, Math.floor(x * 16)), Math.min(9, Math.floor(y * 10)), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    [fx, fy],
  );
}

export const close = (a: [number, number, number], b: [number, number, number], tolerance = 40) =>
  a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

/** Resolves when the sampled colour at (fx, fy) is near `rgb`. */
export async function waitForVideoColor(page: Page, rgb: [number, number, number], fx = 0.5, fy = 0.5, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: [number, number, number] = [0, 0, 0];
  while (Date.now() < deadline) {
    last = await sampleVideoColor(page, fx, fy);
    if (close(last, rgb)) return;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
  throw new Error(`video colour at ${fx},${fy} stayed ${last}, expected ${rgb}`);
}
