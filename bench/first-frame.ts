/**
 * Allow click → first frame at the glass, with the view prompt up for 1.5 s first, as a person reads it (issue 28,
 * "First frame"); and the whole join → first frame with that same decision in it. Variants, in one run, the rounds
 * interleaved: `peerdesk` (the prompt's live preview has the capture running when Allow is clicked), `peerdesk-cold`
 * (`?warm=0`: PeerDesk with no preview — the path before it, everything capture-related after the click) and
 * `baseline` (`?profile=naive`: the untuned app, which also makes its peer connection only after the click).
 * The first frame is taken where a person looks: `x-pixel-observer.ts`, a process of its own, reads the middle of the
 * viewer's video on the viewer's X display until it shows the colour the host's screen has (a new one every session).
 * Run: npm run bench -- firstframe (`BENCH_ROUNDS=3` for fewer rounds, `BENCH_VARIANTS=peerdesk,baseline` for some variants)
 */
import type { Page } from 'playwright-core';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from '../main/services/chromium-switches';
import { startGlassRig, type GlassRig } from './glass-to-glass';
import { centreOnScreen, filledJoin, openWebrtcSession } from './lib/glass-sessions';
import { publish } from './lib/results';
import { afterAllowTimeline, busyAfterAllow, readTimeline, startStages } from './lib/start-timeline';
import { distribution, percentile, type Row, single } from './lib/stats';
import type { Point } from './x-pixel-observer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
/** How long the prompt is up before Allow: a person reading it (the prompt's own input delay is as long). */
const DECISION_MS = 1500;
const ALL_VARIANTS = ['peerdesk', 'peerdesk-cold', 'baseline'] as const;
type Variant = (typeof ALL_VARIANTS)[number];
/** `BENCH_VARIANTS=peerdesk,baseline`: only those (a quick look while working on one path); all by default. */
const VARIANTS = ALL_VARIANTS.filter((v) => !process.env.BENCH_VARIANTS || process.env.BENCH_VARIANTS.split(',').includes(v));
const QUERY: Record<Variant, string> = { peerdesk: '', 'peerdesk-cold': '&warm=0', baseline: '&profile=naive' };
const COLOURS = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#ff00ff', '#00ffff'];
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

interface Sample {
  afterAllow: number;
  joinToFirstFrame: number;
  stages: Record<string, number>;
  /** Each step of both sides, ms after the Allow click. */
  timeline: Record<string, number>;
}

/** One session from a fresh host page: the viewer joins, the prompt is up DECISION_MS, Allow, first frame at the glass. */
async function oneStart(rig: GlassRig, variant: Variant, at: Point, colour: string): Promise<Sample | undefined> {
  const { harness, watch, screen } = rig;
  await screen.command(`color ${colour}`);
  const query = QUERY[variant] + (process.env.BENCH_QUERY ?? '');
  const appSwitches = variant === 'baseline' ? [] : asCommandLineFlags(HOST_CHROMIUM_SWITCHES);
  const hostFlags = [`--peerdesk-bench=host-${variant}`, ...appSwitches];
  const { host, viewer } = await filledJoin(harness, { hostFlags, withApi: true, query, decisionMs: DECISION_MS });
  const { result } = await watch.arm(null, at, rgb(colour), 30_000);
  await viewer.click('#join-submit');
  const shown = await result;
  try {
    if (shown.error || !shown.shownAt) return undefined;
    await onTheVideo(viewer, at);
    const marks = await decisionMarks(host, viewer);
    const firstFrameAt = shown.shownAt;
    const timelines = { host: await readTimeline(host), viewer: await readTimeline(viewer) };
    const all = { ...marks, firstFrameAt, ...timelines };
    if (process.env.BENCH_DEBUG) {
      const codec = (timelines.host as unknown as { firstCodec?: string }).firstCodec;
      console.log(variant, codec, JSON.stringify(afterAllowTimeline(all)));
      console.log(busyAfterAllow(all).join('\n'));
    }
    return {
      afterAllow: firstFrameAt - marks.allowAt,
      joinToFirstFrame: firstFrameAt - marks.submitAt,
      stages: startStages(all),
      timeline: afterAllowTimeline(all),
    };
  } finally {
    await harness.reset({ keepWindows: true });
  }
}

/** The observed point must be inside the video (the layout did not move it): else the figure would be of something else. */
async function onTheVideo(viewer: Page, at: Point): Promise<void> {
  const centre = await centreOnScreen(viewer, 'video');
  if (Math.abs(centre.x - at.x) > 60 || Math.abs(centre.y - at.y) > 60)
    throw new Error(`the viewer's video moved: centre ${JSON.stringify(centre)}, observed ${JSON.stringify(at)}`);
}

async function decisionMarks(host: Page, viewer: Page) {
  const { promptAt, allowAt } = await host.evaluate(() => {
    const w = window as never as { __promptAt: number; __allowAt: number };
    return { promptAt: w.__promptAt, allowAt: w.__allowAt };
  });
  const submitAt = await viewer.evaluate(() => (window as never as { __submitAt: number }).__submitAt);
  if (allowAt - promptAt < DECISION_MS - 1) throw new Error(`Allow came ${allowAt - promptAt} ms after the prompt`);
  return { promptAt, allowAt, submitAt };
}

export async function runFirstFrame(): Promise<void> {
  const rig = await startGlassRig();
  const samples: Partial<Record<Variant, Sample[]>> = {};
  const missed: Partial<Record<Variant, number>> = {};
  let where: Point;
  try {
    // Where the middle of the video is on the viewer's display: from one session run to its end (not measured).
    const warmUp = await openWebrtcSession(rig.harness, 'peerdesk');
    where = warmUp.shownAt;
    await warmUp.close();
    let n = 0;
    for (let round = 0; round < ROUNDS; round++)
      for (let k = 0; k < VARIANTS.length; k++) {
        const variant = VARIANTS[(round + k) % VARIANTS.length];
        const sample = await oneStart(rig, variant, where, COLOURS[n++ % COLOURS.length]);
        if (sample) (samples[variant] ??= []).push(sample);
        else missed[variant] = (missed[variant] ?? 0) + 1;
      }
  } finally {
    await rig.stop();
  }
  const rows: Row[] = [];
  const breakdowns: Record<string, Record<string, number>> = {};
  const timelines: Record<string, Record<string, number>> = {};
  for (const v of VARIANTS) {
    const all = samples[v] ?? [];
    rows.push(
      distribution(
        'first_frame_after_allow_ms',
        v,
        all.map((s) => s.afterAllow),
      ),
      distribution(
        'join_to_first_frame_ms',
        v,
        all.map((s) => s.joinToFirstFrame),
      ),
      single('missed_first_frames', v, missed[v] ?? 0),
    );
    if (all.length)
      breakdowns[v] = Object.fromEntries(
        Object.keys(all[0].stages).map((k) => [
          `${k}_ms_p50`,
          percentile(
            all.map((s) => s.stages[k]),
            50,
          ),
        ]),
      );
  }
  for (const v of VARIANTS) if (samples[v]?.length) timelines[v] = p50s(samples[v].map((s) => s.timeline));
  const params = {
    resolution: '1280x800',
    rounds: ROUNDS,
    decision_ms: DECISION_MS,
    network: 'loopback',
    first_frame:
      'at the glass: bench/x-pixel-observer.ts (own process) sees the host screen’s colour in the middle of the viewer’s video, on the viewer’s X display',
    join_to_first_frame: 'viewer submits code + PIN → first frame at the glass, the prompt’s 1.5 s decision included',
    variants:
      'peerdesk: live preview warms the capture; peerdesk-cold: ?warm=0 (no preview, capture after Allow); baseline: ?profile=naive',
    chromium:
      'Debian /usr/bin/chromium; host headless on display 1 (desktop-app host API from the harness), viewer in a window on display 2',
  };
  publish('first-frame', params, rows, { stage_breakdown_ms: breakdowns, after_allow_timeline_ms_p50: timelines });
  console.table(breakdowns);
  console.table(timelines);
}

/** Each key's median over the samples that have it (a step a variant never takes is left out). */
function p50s(samples: Record<string, number>[]): Record<string, number> {
  const keys = Object.keys(samples[0] ?? {});
  const out: Record<string, number> = {};
  for (const k of keys) {
    const values = samples.map((s) => s[k]).filter((v) => Number.isFinite(v));
    if (values.length) out[k] = Math.round(percentile(values, 50));
  }
  return out;
}
