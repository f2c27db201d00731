/**
 * Input latency during active streaming of a changing screen: viewer page receives a pointer
 * move (or key press) → the X server delivers it (MotionNotify / KeyPress, watched by an observer process of its own
 * on its own X connection: event-driven, where polling robotjs getMousePos in a loop took one of the machine's two
 * cores from what it measured, and outside the process that runs the host services and robotjs). PeerDesk, the naive baseline (moves on the
 * reliable channel, robotjs's default 10 ms mouse delay) and noVNC + x11vnc in one run. The
 * harness's own floor (Playwright mouse.move → the page's event) is measured and reported
 * separately; the latencies start at the page's first sight of the event (a move's raw pointer update, before
 * Chromium's frame-aligned mousemove), so they are "above the floor".
 * Each event is also split hop by hop (`input_key_hop_ms` / `input_move_hop_ms`, HOPS below), so what is left above
 * the data channel shows beside the channel's own time.
 * Run: npm run bench -- input
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import robot from 'robotjs';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { grantControl, videoPoint, watchingSession } from '../test/support/control-session';
import { E2EHarness } from '../test/support/e2e-harness';
import { startNoVnc } from './lib/novnc';
import { XInputWatch } from './lib/x-input-watch';
import { publish } from './lib/results';
import { distribution, type Row } from './lib/stats';

const MOVES = Number(process.env.BENCH_MOVES ?? 300);
const KEYS = Number(process.env.BENCH_KEYS ?? 300);
/** Where keys come from: Playwright's keyboard (CDP), the page's own timer, or `both` taking turns (BENCH_DEBUG compares). */
const KEY_SOURCE = process.env.BENCH_KEY_SOURCE ?? 'playwright';
/** `BENCH_INPUT_VARIANTS=peerdesk,novnc` for a quick look at some of them. */
const VARIANTS = (process.env.BENCH_INPUT_VARIANTS ?? 'peerdesk,baseline,novnc').split(',');
const now = () => performance.timeOrigin + performance.now();

/**
 * In-page: when the page first saw the event (`__firstAt`, cleared by each read) and when its mousemove came
 * (`__frameAt`). A move's first sight is its raw pointer update, which Chromium fires as the move arrives; mousemove
 * and pointermove wait for the next animation frame. Every variant is timed from the first sight, whichever event
 * it sends on, so waiting for the frame counts against the variant that waits.
 */
const EVENT_CLOCK = `(() => { window.__firstAt = 0; window.__frameAt = 0; window.__sentAt = 0;
  const now = () => performance.timeOrigin + performance.now();
  const first = () => { if (!window.__firstAt) window.__firstAt = now(); };
  for (const t of ['pointerrawupdate', 'keydown']) document.addEventListener(t, first, true);
  document.addEventListener('mousemove', () => { first(); window.__frameAt = now(); }, true);
  for (const proto of [RTCDataChannel.prototype, WebSocket.prototype]) {
    const send = proto.send;
    proto.send = function (...args) { if (window.__firstAt && !window.__sentAt) window.__sentAt = now(); return send.apply(this, args); };
  } })()`;

/** The page's stamps for the event that just arrived; clears the first-sight and sent stamps for the next one. */
const readClock = (page: Page) =>
  page.evaluate(() => {
    const w = window as never as { __firstAt: number; __frameAt: number; __sentAt: number };
    const stamps = { eventAt: w.__firstAt, frameAt: w.__frameAt, sentAt: w.__sentAt };
    w.__firstAt = 0;
    w.__sentAt = 0;
    return stamps;
  });

/**
 * Where an input event spends its time between the viewer's page and the X server, hop by hop: page event →
 * message sent → host page has it → host services have it → injector called → X server delivers it. Rows
 * `input_<kind>_hop_ms`, variant `<variant>-<hop>`; `above_channel` is each event's total less its channel hop —
 * what is left above the data channel.
 */
const HOPS = {
  viewer: 'viewer page: event → message sent (input capture, pacing)',
  channel: 'message sent → host page has it (data channel)',
  ipc: 'host page → host services (IPC)',
  services: 'host services: received → injector called (validation, consent, key table)',
  x_delivery: 'injector called → observer sees it (robotjs, X server, wake-up)',
  above_channel: 'the whole path less the data channel hop',
} as const;
type Hop = keyof typeof HOPS;
type HopSplit = Record<Hop, number[]>;
const emptySplit = (): HopSplit => ({ viewer: [], channel: [], ipc: [], services: [], x_delivery: [], above_channel: [] });

interface Stamps {
  eventAt: number;
  sentAt: number;
}

/**
 * Reads the hop stamps of the event that just arrived: the viewer page's (first send after the event), the host
 * page's (the harness's preload stand-in) and the host services' (the harness's IPC stand-in and its timed
 * injector). Secondary to the totals, which need none of them; an event whose stamps are out of order (a stamp
 * left by another message) is left out of the split.
 */
async function recordHops(split: HopSplit, trace: HopTrace, { eventAt, sentAt }: Stamps, reached: number): Promise<void> {
  const hostAt = await trace.host.evaluate(() => (window as never as { __pdControlAt: number }).__pdControlAt);
  const { receivedAt, injectAt } = trace.harness.lastControl;
  const times = [eventAt, sentAt, hostAt, receivedAt, injectAt, reached];
  if (times.some((t, i) => !t || (i > 0 && t < times[i - 1]))) return;
  split.viewer.push(sentAt - eventAt);
  split.channel.push(hostAt - sentAt);
  split.ipc.push(receivedAt - hostAt);
  split.services.push(injectAt - receivedAt);
  split.x_delivery.push(reached - injectAt);
  split.above_channel.push(reached - eventAt - (hostAt - sentAt));
}

interface HopTrace {
  host: Page;
  harness: E2EHarness;
}

const splitTable = (split: HopSplit) =>
  Object.fromEntries(
    Object.entries(split)
      .filter(([, xs]) => xs.length > 0)
      .map(([hop, xs]) => {
        const { n, p50, p95, p99 } = distribution(hop, 'hop', xs);
        return [hop, { n, p50, p95, p99 }];
      }),
  );

const splitRows = (metric: string, variant: string, split: HopSplit): Row[] =>
  Object.entries(split)
    .filter(([, xs]) => xs.length > 0)
    .map(([hop, xs]) => distribution(metric, `${variant}-${hop.replace('_', '-')}`, xs));

/** `area`: client rect of the shared surface on the page; moves alternate across it. */
async function measure(
  page: Page,
  watch: XInputWatch,
  area: { left: number; top: number; width: number; height: number },
  trace?: HopTrace,
) {
  await page.evaluate(EVENT_CLOCK);
  await watch.selectTree();
  const hops = { move: emptySplit(), key: emptySplit() };
  const record = async (split: HopSplit, stamps: Stamps, reached: number) => {
    if (trace) await recordHops(split, trace, stamps, reached);
    else if (stamps.sentAt >= stamps.eventAt && stamps.eventAt > 0) split.viewer.push(stamps.sentAt - stamps.eventAt);
  };
  const moves: number[] = [];
  const floor: number[] = [];
  const frameWait: number[] = [];
  for (let i = 0; i < MOVES + 10; i++) {
    const fx = 0.2 + (0.6 * ((i * 37) % 100)) / 100;
    const fy = 0.2 + (0.6 * ((i * 61) % 100)) / 100;
    const expected = { x: Math.floor(fx * 1280), y: Math.floor(fy * 800) };
    const { arrival: arrived } = await watch.next({ kind: 'motion', ...expected });
    const before = now();
    await page.mouse.move(area.left + fx * area.width, area.top + fy * area.height);
    const reached = await arrived;
    const stamps = await readClock(page);
    if (i >= 10) {
      moves.push(reached - stamps.eventAt);
      floor.push(stamps.eventAt - before);
      frameWait.push(stamps.frameAt - stamps.eventAt);
      await record(hops.move, stamps, reached);
    }
  }
  const keys: number[] = [];
  const keysPlaywright = KEY_SOURCE === 'both' ? [] : keys;
  const hopsPlaywright = KEY_SOURCE === 'both' ? emptySplit() : hops.key;
  const busy = benchProcessLoad();
  for (let i = 0; i < KEYS; i++) {
    const { arrival: pressed } = await watch.next({ kind: 'key-press' });
    const inPage = KEY_SOURCE === 'page' || (KEY_SOURCE === 'both' && i % 2 === 1);
    await pressKey(page, 'keydown', inPage);
    const reached = await pressed;
    const stamps = await readClock(page);
    await record(inPage ? hops.key : hopsPlaywright, stamps, reached);
    const { arrival: released } = await watch.next({ kind: 'key-release' });
    await pressKey(page, 'keyup', inPage);
    await released;
    (inPage ? keys : keysPlaywright).push(reached - stamps.eventAt);
  }
  if (KEY_SOURCE === 'both' && process.env.BENCH_DEBUG) {
    const show = (label: string, xs: number[]) => console.log(label, JSON.stringify(distribution('', '', xs)));
    show('keys from Playwright', keysPlaywright);
    show('keys from the page', keys);
    for (const hop of Object.keys(HOPS) as Hop[]) {
      show(`  ${hop} from Playwright`, hopsPlaywright[hop]);
      show(`  ${hop} from the page`, hops.key[hop]);
    }
  }
  busy.report(trace ? 'keys (this process runs the host services)' : 'keys');
  return { moves, floor, frameWait, keys, hops };
}

/**
 * One ArrowDown press or release: through Playwright's keyboard, or dispatched by the page itself 20 ms after the
 * call returned, so that no CDP traffic reaches this process while the key travels.
 */
async function pressKey(page: Page, type: 'keydown' | 'keyup', inPage: boolean): Promise<void> {
  if (!inPage) return type === 'keydown' ? page.keyboard.down('ArrowDown') : page.keyboard.up('ArrowDown');
  await page.evaluate(
    (t) =>
      void setTimeout(() => {
        const init = { key: 'ArrowDown', code: 'ArrowDown', keyCode: 40, which: 40, bubbles: true, cancelable: true, composed: true };
        (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent(t, init));
      }, 20),
    type,
  );
}

/**
 * `BENCH_DEBUG=1`: how busy this process (Playwright for both browsers, and for PeerDesk the harness's stand-in for
 * Electron's main process: IPC, host services, robotjs) was during a phase — its CPU and its event loop's delays.
 */
function benchProcessLoad() {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const [cpu, at] = [process.cpuUsage(), performance.now()];
  return {
    report(phase: string) {
      delay.disable();
      const { user, system } = process.cpuUsage(cpu);
      const pct = (user + system) / 10 / (performance.now() - at);
      if (process.env.BENCH_DEBUG)
        console.log(
          `${phase}: bench process CPU ${pct.toFixed(1)} %, event loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} / p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
        );
    },
  };
}

async function videoArea(viewer: Page) {
  const [a, b] = [await videoPoint(viewer, 0, 0), await videoPoint(viewer, 1, 1)];
  return { left: a.x, top: a.y, width: b.x - a.x, height: b.y - a.y };
}

export async function runInputLatency(): Promise<void> {
  // The instrumented renderer carries the naive profile the baseline variant needs (renderer/instrumented.ts).
  const harness = await E2EHarness.start({ staticDir: 'dist/renderer-instrumented' });
  const watch = await XInputWatch.start(harness.display);
  const rows: Row[] = [];
  const hopBreakdown: Record<string, unknown> = {};
  const hopRows: Row[] = [];
  try {
    const screen = await harness.openWindow('Changing screen', '#202020', '1280x800+0+0');
    // The screen keeps changing (a colour flip every 200 ms) so video is flowing during the measurement.
    let flip = 0;
    const flipper = setInterval(() => void screen.command(`color ${++flip % 2 ? '#203040' : '#402030'}`).catch(() => undefined), 200);
    for (const variant of (['peerdesk', 'baseline'] as const).filter((v) => VARIANTS.includes(v))) {
      robot.setMouseDelay(variant === 'baseline' ? 10 : 0);
      robot.setKeyboardDelay(variant === 'baseline' ? 10 : 0);
      const { viewer, host } = await watchingSession(harness, 'screen', undefined, variant === 'baseline' ? '&profile=naive' : '');
      await grantControl(harness, viewer);
      const r = await measure(viewer, watch, await videoArea(viewer), { host, harness });
      hopBreakdown[variant] = { move: splitTable(r.hops.move), key: splitTable(r.hops.key) };
      rows.push(distribution('input_move_ms', variant, r.moves), distribution('input_key_ms', variant, r.keys));
      hopRows.push(...splitRows('input_move_hop_ms', variant, r.hops.move), ...splitRows('input_key_hop_ms', variant, r.hops.key));
      if (variant === 'peerdesk')
        rows.push(distribution('input_harness_floor_ms', 'harness', r.floor), distribution('input_frame_wait_ms', 'chromium', r.frameWait));
      await harness.reset({ keepWindows: true });
    }
    robot.setMouseDelay(0);
    robot.setKeyboardDelay(0);
    if (VARIANTS.includes('novnc')) rows.push(...(await measureNoVnc(harness, watch, hopRows)));
    clearInterval(flipper);
  } finally {
    watch.close();
    await harness.stop();
  }
  publish('input-latency', PARAMS, [...rows, ...hopRows], { hop_breakdown_ms: hopBreakdown });
}

async function measureNoVnc(harness: E2EHarness, watch: XInputWatch, hopRows: Row[]): Promise<Row[]> {
  const rows: Row[] = [];
  const vnc = await startNoVnc(harness.display);
  const browser = await launchChromium({ display: harness.display });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(vnc.viewerUrl);
    await page.waitForFunction(() => (document.querySelector('#screen canvas') as HTMLCanvasElement | null)?.width === 1280, undefined, {
      timeout: 20_000,
    });
    const area = await page.evaluate(() => {
      const r = document.querySelector('#screen canvas')!.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height };
    });
    await page.click('#screen canvas', { position: { x: 5, y: 5 } });
    const r = await measure(page, watch, area);
    rows.push(distribution('input_move_ms', 'novnc', r.moves), distribution('input_key_ms', 'novnc', r.keys));
    hopRows.push(...splitRows('input_move_hop_ms', 'novnc', r.hops.move), ...splitRows('input_key_hop_ms', 'novnc', r.hops.key));
  } finally {
    await browser.close();
    await vnc.stop();
  }
  return rows;
}

const PARAMS = {
  moves: MOVES,
  keys: KEYS,
  screen: 'streaming, colour flip every 200 ms',
  measured_from:
    "the viewer page's first sight of the event: a move's raw pointer update, a key's keydown (harness floor reported separately; input_frame_wait_ms: how much later Chromium's mousemove came)",
  observer: 'its own process and X connection (bench/x-input-observer.ts), event-driven',
  hops: HOPS,
};
