import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from '../../main/services/chromium-switches';
import { launchChromium } from '../../test/support/browser';
import { CAPTURE_PCS } from '../../test/support/capture-pcs';
import { E2EHarness, VIEWER_WINDOW } from '../../test/support/e2e-harness';
import { waitForDecodedFrames } from '../../test/support/video-probe';
import { startNoVnc } from './novnc';
import { PROBE } from './in-page-probe';
import { readTimeline, START_TIMELINE, startStages } from './start-timeline';
import type { Point } from '../x-pixel-observer';

/**
 * `peerdesk-browser-host`: PeerDesk with the host in a plain browser tab (no desktop app: no host API, none of the
 * Chromium switches the app sets for itself), the person on a locked-down PC where nothing may be installed.
 */
/** `peerdesk-fixed-resolution`: the desktop-app host without link adaptation (`?adapt-resolution=off`), as it shipped before. */
export type Variant = 'peerdesk' | 'peerdesk-fixed-resolution' | 'peerdesk-browser-host' | 'baseline' | 'novnc';
type WebrtcVariant = Exclude<Variant, 'novnc'>;

/** What the glass benchmarks need of an open session, whatever the variant. */
export interface GlassSession {
  viewer: Page;
  host?: Page;
  /** Where the middle of the remote screen is on the viewer's display. */
  shownAt: Point;
  /**
   * Viewer submitted code + PIN → first frame shown (in-page), less the time the host's prompt waited for Allow (its
   * input delay: a person cannot answer faster); WebRTC variants only.
   */
  ttff?: number;
  /** Time to first frame in stages (start-timeline.ts); WebRTC variants only. */
  startStages?: Record<string, number>;
  markers: { host: string; viewer: string };
  /** noVNC's websockify port, the one TCP hop a constrained network run limits. */
  tcpPort?: number;
  close(): Promise<void>;
}

/**
 * Xvfb starts the pointer in the middle of the screen, where the probes read, and Chromium draws the host's pointer
 * into the capture: both pointers go to a corner first.
 */
export function parkPointer(display: string, x: number, y: number): void {
  execFileSync('xdotool', ['mousemove', String(x), String(y)], { env: { ...process.env, DISPLAY: display } });
}

/** The centre of `selector` in the viewer display's coordinates (window position + browser frame + layout). */
export async function centreOnScreen(page: Page, selector: string): Promise<Point> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    const frameX = (window.outerWidth - window.innerWidth) / 2;
    const frameTop = window.outerHeight - window.innerHeight;
    return {
      x: Math.round(window.screenX + frameX + r.left + r.width / 2),
      y: Math.round(window.screenY + frameTop + r.top + r.height / 2),
    };
  }, selector);
}

/**
 * The host page's answer to its prompt: Allow once it can be clicked (it stays disabled for an input delay after it
 * appears) and `decisionMs` after the prompt appeared, noting both times. A string, not a function: tsx would wrap a
 * function's inner names in a helper the page lacks.
 */
export const allowAfter = (decisionMs: number) => `{
  const at = () => performance.timeOrigin + performance.now();
  const allow = () => {
    const button = document.querySelector('#allow-view');
    if (!button || button.disabled || window.__allowAt) return;
    const wait = window.__promptAt + ${decisionMs} - at();
    if (wait > 0) return void setTimeout(allow, wait);
    window.__allowAt = at();
    button.click();
  };
  new MutationObserver(() => {
    if (!document.querySelector('#allow-view')) return;
    window.__promptAt ||= at();
    allow();
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}`;

/** How a session's start is set up: the host's flags and page, how it answers, the scripts both pages get first. */
export interface StartSetup {
  hostFlags: string[];
  withApi: boolean;
  query: string;
  decisionMs: number;
  /** Page scripts both pages run before the start timeline (e.g. CAPTURE_PCS). */
  init?: string[];
}

/**
 * A session up to the viewer's submit: a fresh host page with the start timeline that answers its prompt after
 * `decisionMs`, and a viewer page with the timeline, the submit time noted, its form filled but not sent.
 */
export async function filledJoin(harness: E2EHarness, setup: StartSetup): Promise<{ host: Page; viewer: Page }> {
  const init = [...(setup.init ?? []), START_TIMELINE];
  harness.extraArgs.host = setup.hostFlags;
  const host = await harness.hostPage('screen', setup.withApi, setup.query);
  for (const script of init) await host.addInitScript(script);
  await host.reload();
  await host.waitForSelector('#session-code');
  await host.evaluate(allowAfter(setup.decisionMs));
  const viewer = await harness.viewerPage(setup.query);
  for (const script of init) await viewer.addInitScript(script);
  await viewer.reload();
  await viewer.evaluate(() =>
    document.addEventListener(
      'submit',
      () => ((window as never as { __submitAt: number }).__submitAt = performance.timeOrigin + performance.now()),
      true,
    ),
  );
  const { code, pin } = await E2EHarness.sessionCredentials(host);
  await viewer.fill('#join-code', code);
  await viewer.fill('#join-pin', pin);
  await viewer.fill('#join-name', 'Bench');
  return { host, viewer };
}

const VARIANT_QUERY: Partial<Record<WebrtcVariant, string>> = {
  baseline: '&profile=naive',
  'peerdesk-fixed-resolution': '&adapt-resolution=off',
};

/**
 * A PeerDesk or baseline session from a fresh host page: the viewer submits code + PIN, the host page allows at once,
 * and the time to the first shown frame is one time-to-first-frame sample.
 */
export async function openWebrtcSession(harness: E2EHarness, variant: WebrtcVariant): Promise<GlassSession> {
  const query = (VARIANT_QUERY[variant] ?? '') + (process.env.BENCH_QUERY ?? '');
  // The PeerDesk host runs with the switches the desktop app sets for itself; the baseline and a browser tab with none.
  const appSwitches = variant === 'peerdesk' || variant === 'peerdesk-fixed-resolution' ? asCommandLineFlags(HOST_CHROMIUM_SWITCHES) : [];
  // The bench answers the prompt as soon as Allow can be clicked and notes when: the person's own time on the prompt
  // is not part of time to first frame.
  const { host, viewer } = await filledJoin(harness, {
    hostFlags: [`--peerdesk-bench=host-${variant}`, ...appSwitches],
    withApi: variant !== 'peerdesk-browser-host',
    query,
    decisionMs: 0,
    init: [CAPTURE_PCS],
  });
  await viewer.click('#join-submit');
  await viewer.waitForSelector('video');
  await viewer.evaluate(PROBE);
  await viewer.waitForFunction(() => (window as never as { __probe: { firstFrameAt: number } }).__probe.firstFrameAt > 0, undefined, {
    polling: 'raf',
  });
  const marks = {
    ...(await host.evaluate(() => {
      const w = window as never as { __promptAt: number; __allowAt: number };
      return { promptAt: w.__promptAt, allowAt: w.__allowAt };
    })),
    ...(await viewer.evaluate(() => {
      const w = window as never as { __probe: { firstFrameAt: number }; __submitAt: number };
      return { submitAt: w.__submitAt, firstFrameAt: w.__probe.firstFrameAt };
    })),
    host: await readTimeline(host),
    viewer: await readTimeline(viewer),
  };
  const ttff = marks.firstFrameAt - marks.submitAt - (marks.allowAt - marks.promptAt);
  await waitForDecodedFrames(viewer, 30);
  return {
    host,
    viewer,
    ttff,
    startStages: startStages(marks),
    shownAt: await centreOnScreen(viewer, 'video'),
    markers: { host: `--peerdesk-bench=host-${variant}`, viewer: '--peerdesk-bench=viewer' },
    close: () => harness.reset({ keepWindows: true }),
  };
}

/** noVNC's lite viewer in a window on the viewer's display, against x11vnc on the host's display. */
export async function openNoVncSession(harness: E2EHarness): Promise<GlassSession> {
  const vnc = await startNoVnc(harness.display);
  const browser = await launchChromium({
    display: harness.viewerDisplay ?? harness.display,
    headless: !harness.viewerDisplay,
    extraArgs: ['--peerdesk-bench=viewer-novnc', ...(harness.viewerDisplay ? VIEWER_WINDOW : [])],
  });
  const viewer = await (await browser.newContext({ viewport: harness.viewerDisplay ? null : { width: 1100, height: 720 } })).newPage();
  await viewer.goto(vnc.viewerUrl);
  await viewer.waitForFunction(() => (document.querySelector('#screen canvas') as HTMLCanvasElement | null)?.width === 1280, undefined, {
    timeout: 20_000,
  });
  await viewer.evaluate(PROBE);
  return {
    viewer,
    shownAt: await centreOnScreen(viewer, '#screen canvas'),
    markers: { host: 'x11vnc', viewer: '--peerdesk-bench=viewer-novnc' },
    tcpPort: vnc.port,
    close: async () => {
      await browser.close();
      await vnc.stop();
    },
  };
}

export const openSession = (harness: E2EHarness, variant: Variant) =>
  variant === 'novnc' ? openNoVncSession(harness) : openWebrtcSession(harness, variant);
