/**
 * Screen-change latency at the glass (and in the page), time to first frame, frame rate, bitrate and CPU for PeerDesk,
 * the naive WebRTC baseline (same app, `?profile=naive`) and noVNC + x11vnc, in one run (DESIGN.md §6). The host's
 * screen and the viewer's window are on two Xvfb displays, and an observer process of its own reads one pixel on each.
 * Run: npm run bench -- glass
 */
import type { Page } from 'playwright-core';
import { E2EHarness } from '../test/support/e2e-harness';
import { SignalingProcess } from '../test/support/signaling-process';
import type { XApp } from '../test/support/x-app';
import { startXvfb } from '../test/support/xvfb';
import { colourFlips, type FlipResults } from './lib/colour-flips';
import { type GlassSession, openSession, parkPointer, type Variant } from './lib/glass-sessions';
import { treeCpuSeconds } from './lib/process-cpu';
import { publish } from './lib/results';
import { rtpSnapshot, stagesBetween } from './lib/rtp-stages';
import { distribution, percentile, type Row, single } from './lib/stats';
import { XPixelWatch } from './lib/x-pixel-watch';

/** Rounds × flips per round per variant; every round is a fresh session (one time-to-first-frame sample). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const FLIPS = Number(process.env.BENCH_FLIPS ?? 12);
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bitrate received by a WebRTC viewer (`rtpViewer`), plus host and viewer CPU, over `seconds`. */
export async function usageWindow(rtpViewer: Page | undefined, seconds: number, markers: { host: string; viewer: string }) {
  const snapshot = async () =>
    rtpViewer?.evaluate(async () => {
      for (const pc of (window as never as { __pcs: RTCPeerConnection[] }).__pcs)
        for (const s of (await pc.getStats()).values())
          if (s.type === 'inbound-rtp' && s.kind === 'video') return s.bytesReceived as number;
      return 0;
    });
  const cpu0 = { host: treeCpuSeconds(markers.host), viewer: treeCpuSeconds(markers.viewer), at: now() };
  const a = await snapshot();
  await pause(seconds * 1000);
  const b = await snapshot();
  const wall = (now() - cpu0.at) / 1000;
  return {
    kbps: a !== undefined && b !== undefined ? ((b - a) * 8) / wall / 1000 : undefined,
    hostCpu: ((treeCpuSeconds(markers.host) - cpu0.host) / wall) * 100,
    viewerCpu: ((treeCpuSeconds(markers.viewer) - cpu0.viewer) / wall) * 100,
  };
}

/** A square of the viewer's display around the shown centre: its redraws are the frames the person sees. */
export const shownRegion = (s: GlassSession) => ({ x: s.shownAt.x - 100, y: s.shownAt.y - 100, w: 200, h: 200 });

/** Frame rate at the glass, bitrate and CPU while the screen is still, then busy. */
async function rates(screen: XApp, variant: Variant, s: GlassSession, watch: XPixelWatch, rows: Row[]) {
  const [still, stillGlass] = await Promise.all([
    usageWindow(s.host ? s.viewer : undefined, 5, s.markers),
    watch.frames(shownRegion(s), 5000),
  ]);
  await screen.command('busy 1');
  const [busy, busyGlass] = await Promise.all([
    usageWindow(s.host ? s.viewer : undefined, 8, s.markers),
    watch.frames(shownRegion(s), 8000),
  ]);
  await screen.command('busy 0');
  rows.push(single('fps_static', variant, stillGlass.frames / 5), single('fps_busy', variant, busyGlass.frames / 8));
  if (busy.kbps !== undefined) rows.push(single('bitrate_kbps_busy', variant, busy.kbps));
  rows.push(
    single('host_cpu_pct_static', variant, still.hostCpu),
    single('host_cpu_pct_busy', variant, busy.hostCpu),
    single('viewer_cpu_pct_busy', variant, busy.viewerCpu),
  );
}

export interface GlassRig {
  harness: E2EHarness;
  watch: XPixelWatch;
  screen: XApp;
  stop(): Promise<void>;
}

/** The host's display with a full-screen colour window, the viewer's display beside it, and the pixel observer. */
export async function startGlassRig(): Promise<GlassRig> {
  // The signaling server runs as it is deployed, a process of its own: in the bench's process it would share an event
  // loop with Playwright's traffic and add its waits to time to first frame. The instrumented renderer carries the
  // naive profile the baseline variant needs (renderer/instrumented.ts).
  const server = await SignalingProcess.start(['--static-dir', 'dist/renderer-instrumented', '--host-opens-per-minute', '1000']);
  const harness = await E2EHarness.start({}, server);
  // Larger than the viewer's window, so a window Chromium cascades away from the corner stays on the screen.
  const viewerX = await startXvfb(1600, 1000);
  harness.viewerDisplay = viewerX.display;
  harness.extraArgs.viewer = ['--peerdesk-bench=viewer'];
  parkPointer(harness.display, 1279, 799);
  parkPointer(viewerX.display, 1599, 999);
  const watch = await XPixelWatch.start(harness.display, viewerX.display);
  const screen = await harness.openWindow('Bench colour flip', '#808080', '1280x800+0+0');
  return {
    harness,
    watch,
    screen,
    stop: async () => {
      watch.close();
      await harness.stop();
      await viewerX.stop();
    },
  };
}

export async function runGlassToGlass(): Promise<void> {
  const rig = await startGlassRig();
  const { harness, watch, screen } = rig;
  const rows: Row[] = [];
  const breakdowns: Record<string, unknown> = {};
  const only = process.env.BENCH_VARIANTS?.split(',');
  const variants = (['peerdesk', 'peerdesk-browser-host', 'baseline', 'novnc'] as const).filter((v) => !only || only.includes(v));
  const flips: Record<string, FlipResults[]> = {};
  const ttff: Record<string, number[]> = {};
  const starts: Record<string, Array<Record<string, number>>> = {};
  try {
    // Rounds interleave the variants (in a rotating order), so drifts in machine load hit each one alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length];
        const s = await openSession(harness, variant);
        if (s.ttff !== undefined) (ttff[variant] ??= []).push(s.ttff);
        if (s.startStages) (starts[variant] ??= []).push(s.startStages);
        (flips[variant] ??= []).push(await colourFlips(s, screen, watch, { count: FLIPS, timeoutMs: 3000, inPage: true }));
        if (round === ROUNDS - 1) {
          if (s.host) breakdowns[variant] = { ...stagesBetween(await rtpSnapshot(s.host, s.viewer)), ...splitMedians(flips[variant]) };
          if (!process.env.BENCH_QUICK) await rates(screen, variant, s, watch, rows);
        }
        await s.close();
      }
    }
  } finally {
    await rig.stop();
  }
  const head: Row[] = [];
  for (const v of variants) {
    const all = flips[v];
    head.push(
      distribution(
        'glass_to_glass_ext_ms',
        v,
        all.flatMap((f) => f.glass),
      ),
      distribution(
        'glass_to_glass_ms',
        v,
        all.flatMap((f) => f.inPage),
      ),
      single(
        'missed_changes',
        v,
        all.reduce((n, f) => n + f.missed, 0),
      ),
    );
    if (ttff[v]) rows.push(distribution('time_to_first_frame_ms', v, ttff[v]));
  }
  rows.unshift(...head);
  for (const v of Object.keys(starts))
    breakdowns[v] = {
      ...(breakdowns[v] as object),
      ...Object.fromEntries(
        Object.keys(starts[v][0]).map((k) => [
          `ttff_${k}_ms_p50`,
          percentile(
            starts[v].map((x) => x[k]),
            50,
          ),
        ]),
      ),
    };
  const params = {
    resolution: '1280x800',
    rounds: ROUNDS,
    flips_per_round: FLIPS,
    network: 'loopback',
    chromium: 'Debian /usr/bin/chromium; host headless on display 1, viewer in a window on display 2',
    probe:
      'glass_to_glass_ext_ms: bench/x-pixel-observer.ts (own process, XDamage + 1×1 GetImage on each display); glass_to_glass_ms: rVFC/rAF in the viewer page, same flips; fps_*: redraws of the viewer display',
  };
  if (process.env.BENCH_QUICK) {
    console.table(rows);
    console.log(JSON.stringify(breakdowns, null, 1));
    return;
  }
  publish('glass-to-glass', params, rows, { stage_breakdown_ms: breakdowns });
  console.log('stage breakdown (per frame, ms):');
  console.table(breakdowns);
}

/** Medians of the per-flip split taken from rVFC metadata. */
function splitMedians(results: FlipResults[]) {
  const split = results.flatMap((r) => r.splits);
  const p50 = (pick: (x: FlipResults['splits'][number]) => number) => percentile(split.map(pick), 50);
  return {
    flip_to_capture_ms_p50: p50((x) => x.capture),
    capture_to_received_ms_p50: p50((x) => x.send),
    received_to_shown_in_page_ms_p50: p50((x) => x.show),
  };
}
