import type { XApp } from '../../test/support/x-app';
import type { GlassSession } from './glass-sessions';
import type { XPixelWatch } from './x-pixel-watch';

const COLORS = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#ff00ff', '#00ffff'];
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The host display's probed pixel: the middle of its screen (the pointer is parked in a corner). */
export const HOST_PROBE = { x: 640, y: 400 };

export interface FlipResults {
  /** At the glass: host display's pixel changed → viewer display's pixel changed. */
  glass: number[];
  /** The same flips, "shown" taken from the page's rVFC/rAF instead of the viewer's display. */
  inPage: number[];
  /** Per flip, from rVFC metadata: flip → capture timestamp → last packet received → shown in page. */
  splits: Array<{ capture: number; send: number; show: number }>;
  /** Changes the viewer's display never showed within the timeout (not in any percentile). */
  missed: number;
}

type Probe = { seenAt: number; meta: { captureTime?: number; receiveTime?: number } | null };

/**
 * Flips the host's colour window `count` times (after two warm-up flips) and times each change at the glass, with
 * the page's own probe read beside it when `inPage`.
 */
export async function colourFlips(
  s: GlassSession,
  screen: XApp,
  watch: XPixelWatch,
  opts: { count: number; timeoutMs: number; inPage: boolean },
): Promise<FlipResults> {
  const out: FlipResults = { glass: [], inPage: [], splits: [], missed: 0 };
  const origin = await s.viewer.evaluate(() => performance.timeOrigin);
  for (let i = 0; i < opts.count + 2; i++) {
    const color = COLORS[i % COLORS.length];
    if (opts.inPage)
      await s.viewer.evaluate((t) => Object.assign((window as never as { __probe: object }).__probe, { target: t, seenAt: 0 }), rgb(color));
    const { result } = await watch.arm(HOST_PROBE, s.shownAt, rgb(color), opts.timeoutMs);
    await screen.command(`color ${color}`);
    const r = await result;
    const measured = i >= 2; // the first flips warm the encoder up
    if (r.error || !r.flipAt || !r.shownAt) {
      if (!r.flipAt) throw new Error('the host display never changed colour: is the probe covered?');
      if (measured) out.missed++;
    } else if (measured) out.glass.push(r.shownAt - r.flipAt);
    if (opts.inPage && measured && r.flipAt) {
      const seen = await s.viewer
        .waitForFunction(
          () => {
            const p = (window as never as { __probe: Probe }).__probe;
            return p.seenAt > 0 && p;
          },
          undefined,
          { timeout: 2000, polling: 'raf' },
        )
        .then((h) => h.jsonValue() as Promise<Probe>)
        .catch(() => undefined);
      if (seen) {
        out.inPage.push(seen.seenAt - r.flipAt);
        const m = seen.meta;
        if (m?.captureTime && m.receiveTime)
          out.splits.push({
            capture: origin + m.captureTime - r.flipAt,
            send: m.receiveTime - m.captureTime,
            show: seen.seenAt - origin - m.receiveTime,
          });
      }
    }
    if (process.env.BENCH_DEBUG && r.shownAt && r.flipAt)
      console.log('flip', (r.shownAt - r.flipAt).toFixed(1), out.inPage.at(-1)?.toFixed(1));
    await pause(120 + Math.random() * 120); // off the capture clock, so flips do not alias with it
  }
  return out;
}
