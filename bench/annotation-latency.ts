/**
 * Pointer and annotations: the technician's mark → visible on the person's screen (`annotation_ms`), and beside it the
 * laser pointer's move → the dot on the person's screen (`annotation_pointer_ms`), during live screen sharing over
 * real WebRTC. The start is the viewer page's own event (pointerup that finishes a box, pointermove of the laser),
 * stamped in the page like the input benchmark's; the end is read at the glass: the browser host's page has a real
 * window on the host's X display, and `x-pixel-observer.ts` (a process of its own, XDamage + GetImage) reports when
 * the probed pixel of its preview turns the mark's colour. No control is asked for: marks need only view consent.
 * Run: npm run bench -- annotation
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { COLOR_HEX } from '../protocol/annotation-messages';
import { videoPoint, watchingSession } from '../test/support/control-session';
import { E2EHarness } from '../test/support/e2e-harness';
import { startXvfb } from '../test/support/xvfb';
import { parkPointer } from './lib/glass-sessions';
import { publish } from './lib/results';
import { distribution } from './lib/stats';
import { XPixelWatch } from './lib/x-pixel-watch';
import type { Point } from './x-pixel-observer';

const SAMPLES = Number(process.env.BENCH_ANNOTATIONS ?? 60);
/** A mark not on the host's screen this long after the event counts as missed (reported, not in the percentiles). */
const MISS_MS = 5000;
const rgbOf = (hex: string): [number, number, number] =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** In-page: when the last pointer event of each kind reached the viewer's page (wall clock, as the observer's). */
const EVENT_CLOCK = `(() => { window.__pdEvents = {};
  for (const t of ['pointermove', 'pointerup']) document.addEventListener(t, () => (window.__pdEvents[t] = performance.timeOrigin + performance.now()), true); })()`;
/**
 * In the host page: when the last mark message was applied (the page bumps data-annotations-drawn as it does; a
 * MutationObserver runs right after). It splits each sample into the way there (viewer event → host page, the data
 * channel and both pages' event loops) and the rest (animation frame, paint, compositor, X, the observer).
 */
const HOST_CLOCK = `(() => { window.__pdDrawnAt = 0;
  new MutationObserver(() => (window.__pdDrawnAt = performance.timeOrigin + performance.now()))
    .observe(document.body, { attributes: true, attributeFilter: ['data-annotations-drawn'] }); })()`;
const drawnAt = (host: Page) => host.evaluate(() => (window as unknown as { __pdDrawnAt: number }).__pdDrawnAt);
const lastEvent = (viewer: Page, kind: 'pointermove' | 'pointerup') =>
  viewer.evaluate((k) => (window as unknown as { __pdEvents: Record<string, number> }).__pdEvents[k] ?? 0, kind);

/** Where a normalised point of the shared picture is on the host's X screen: its window, plus the preview's letterbox. */
function hostScreenPoint(host: Page, nx: number, ny: number): Promise<Point> {
  return host.evaluate(
    ([x, y]) => {
      const v = document.querySelector<HTMLVideoElement>('#annotation-preview')!;
      const r = v.getBoundingClientRect();
      const scale = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
      const w = v.videoWidth * scale;
      const h = v.videoHeight * scale;
      const frameX = (window.outerWidth - window.innerWidth) / 2;
      const frameTop = window.outerHeight - window.innerHeight;
      return {
        x: Math.round(window.screenX + frameX + r.left + (r.width - w) / 2 + x * (w - 1)),
        y: Math.round(window.screenY + frameTop + r.top + (r.height - h) / 2 + y * (h - 1)),
      };
    },
    [nx, ny] as const,
  );
}

const drawnCount = (host: Page) => host.evaluate(() => Number(document.body.dataset.annotationsDrawn ?? 0));
async function clearMarks(viewer: Page, host: Page): Promise<void> {
  const before = await drawnCount(host);
  await viewer.click('#annotate-clear');
  await host.waitForFunction((n) => Number(document.body.dataset.annotationsDrawn ?? 0) > n, before);
}

/** Box marks: pointerup on the viewer's page → the box's left edge shows on the host's screen (green or yellow). */
async function markSamples(viewer: Page, host: Page, watch: XPixelWatch, split: { arrive: number[]; show: number[] }): Promise<number[]> {
  await viewer.click('#annotate-rect');
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await clearMarks(viewer, host);
    // The preview shows the host's own window too: a copy of the last mark may linger in it for a frame after the
    // clear. Alternating colours keeps that copy from passing for the new mark.
    const color = i % 2 ? 'yellow' : 'green';
    await viewer.click(`#annotate-color-${color}`);
    const rgb = rgbOf(COLOR_HEX[color]);
    // A different place each time, so the probed pixel is background before the mark.
    const nx = 0.15 + (i % 6) * 0.1;
    const ny = 0.2 + (Math.floor(i / 6) % 5) * 0.1;
    const probe = await hostScreenPoint(host, nx, ny + 0.05);
    const armed = await watch.arm(null, probe, rgb, MISS_MS);
    const a = await videoPoint(viewer, nx, ny);
    const b = await videoPoint(viewer, nx + 0.08, ny + 0.1);
    await viewer.mouse.move(a.x, a.y);
    await viewer.mouse.down();
    await viewer.mouse.move(b.x, b.y, { steps: 2 });
    await viewer.mouse.up();
    const seen = await armed.result;
    const upAt = await lastEvent(viewer, 'pointerup');
    const arrivedAt = await drawnAt(host);
    if (seen.shownAt && upAt) {
      out.push(seen.shownAt - upAt);
      split.arrive.push(arrivedAt - upAt);
      split.show.push(seen.shownAt - arrivedAt);
    }
  }
  await viewer.click('#annotate-rect');
  return out;
}

/** Laser: pointermove on the viewer's page → the dot shows on the host's screen, alternating between two places. */
async function laserSamples(viewer: Page, host: Page, watch: XPixelWatch): Promise<number[]> {
  await viewer.click('#annotate-laser');
  await viewer.click('#annotate-color-blue');
  const rgb = rgbOf(COLOR_HEX.blue);
  const spots = [
    [0.3, 0.5],
    [0.7, 0.5],
  ] as const;
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [nx, ny] = spots[i % 2]!;
    const probe = await hostScreenPoint(host, nx, ny);
    const armed = await watch.arm(null, probe, rgb, MISS_MS);
    const p = await videoPoint(viewer, nx, ny);
    await viewer.mouse.move(p.x, p.y);
    const seen = await armed.result;
    const moveAt = await lastEvent(viewer, 'pointermove');
    if (seen.shownAt && moveAt) out.push(seen.shownAt - moveAt);
  }
  return out;
}

export async function runAnnotationLatency(): Promise<void> {
  const harness = await E2EHarness.start();
  const viewerX = await startXvfb(1600, 1000);
  harness.viewerDisplay = viewerX.display;
  harness.hostWindowed = true;
  parkPointer(harness.display, 1279, 799);
  parkPointer(viewerX.display, 1599, 999);
  const watch = await XPixelWatch.start(viewerX.display, harness.display);
  try {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await viewer.evaluate(EVENT_CLOCK);
    await host.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#annotation-preview')?.videoWidth ?? 0) > 0);
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'true');
    await host.waitForSelector('#annotation-preview');
    await host.evaluate(HOST_CLOCK);
    const split = { arrive: [] as number[], show: [] as number[] };
    const marks = await markSamples(viewer, host, watch, split);
    const lasers = await laserSamples(viewer, host, watch);
    publish(
      'annotation',
      {
        samples: SAMPLES,
        screen: '1280x800',
        probe: 'x-pixel-observer on the host X screen (browser host preview)',
        control: 'none (view only)',
        miss_after_ms: MISS_MS,
      },
      [distribution('annotation_ms', 'peerdesk', marks), distribution('annotation_pointer_ms', 'peerdesk', lasers)],
      // The machine is shared: its load says how much of the tail is this code's.
      {
        missed: { annotation_ms: SAMPLES - marks.length, annotation_pointer_ms: SAMPLES - lasers.length },
        // annotation_ms in two: pointerup → the host page applied the mark, and from there → on the host's X screen.
        annotation_split_ms: {
          to_host_page: distribution('annotation_to_host_page_ms', 'peerdesk', split.arrive),
          host_page_to_screen: distribution('annotation_host_page_to_screen_ms', 'peerdesk', split.show),
        },
        load_average_at_end: loadavg().map((l) => Math.round(l * 10) / 10),
      },
    );
  } finally {
    watch.close();
    await harness.stop();
    await viewerX.stop();
  }
}
