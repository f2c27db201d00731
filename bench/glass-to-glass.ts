/**
 * Screen-change latency, time to first frame, frame rate, bitrate and CPU for PeerDesk,
 * the naive WebRTC baseline (same app, `?profile=naive`) and noVNC + x11vnc, in one run on
 * one Xvfb screen (DESIGN.md §6). Run: npm run bench -- glass
 */
import type { Page } from 'playwright-core';
import { E2EHarness } from '../test/support/e2e-harness';
import { launchChromium } from '../test/support/browser';
import { CAPTURE_PCS } from '../test/support/capture-pcs';
import { waitForDecodedFrames } from '../test/support/video-probe';
import type { XApp } from '../test/support/x-app';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from '../main/services/chromium-switches';
import { startNoVnc } from './lib/novnc';
import { treeCpuSeconds } from './lib/process-cpu';
import { publish } from './lib/results';
import { distribution, percentile, type Row, single } from './lib/stats';

/** Rounds × flips per round per variant; every round is a fresh session (one time-to-first-frame sample). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const FLIPS = Number(process.env.BENCH_FLIPS ?? 12);
const COLORS = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#ff00ff', '#00ffff'];
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * In-page: report when the centre colour first matches the target (rVFC for video, rAF for noVNC's canvas).
 * The probe reads as little as it can, so it does not load the two cores it shares with what it measures:
 * a 2×2 block of the decoded video frame's planes (VideoFrame.copyTo, no RGB conversion of the whole frame),
 * or one pixel of noVNC's canvas.
 */
const PROBE = `(() => {
  const p = (window.__probe = { target: null, seenAt: 0, meta: null, firstFrameAt: 0 });
  const c = document.createElement('canvas'); c.width = 1; c.height = 1;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  const near = (d, t) => Math.abs(d[0] - t[0]) < 60 && Math.abs(d[1] - t[1]) < 60 && Math.abs(d[2] - t[2]) < 60;
  const clamp = (v) => Math.max(0, Math.min(255, v));
  // BT.601 limited range, what Chromium's VP8/H.264 decoders output.
  const rgbOf = (y, u, v) => [clamp(1.164 * (y - 16) + 1.596 * (v - 128)), clamp(1.164 * (y - 16) - 0.392 * (u - 128) - 0.813 * (v - 128)), clamp(1.164 * (y - 16) + 2.017 * (u - 128))];
  async function videoCentre(video) {
    const f = new VideoFrame(video);
    try {
      const rect = { x: (f.visibleRect.width >> 2) << 1, y: (f.visibleRect.height >> 2) << 1, width: 2, height: 2 };
      const buf = new Uint8Array(f.allocationSize({ rect }));
      const layout = await f.copyTo(buf, { rect });
      if (f.format === 'NV12') return rgbOf(buf[layout[0].offset], buf[layout[1].offset], buf[layout[1].offset + 1]);
      if (f.format && f.format.startsWith('I4')) return rgbOf(buf[layout[0].offset], buf[layout[1].offset], buf[layout[2].offset]);
      ctx.drawImage(video, video.videoWidth / 2, video.videoHeight / 2, 1, 1, 0, 0, 1, 1);
      return ctx.getImageData(0, 0, 1, 1).data;
    } finally { f.close(); }
  }
  function canvasCentre(cv) {
    ctx.drawImage(cv, cv.width / 2, cv.height / 2, 1, 1, 0, 0, 1, 1);
    return ctx.getImageData(0, 0, 1, 1).data;
  }
  // 'at' is the rendering step's own timestamp (rAF/rVFC 'now'): the probe's own reading time is not counted.
  const check = async (read, at, meta) => {
    const shownAt = performance.timeOrigin + at;
    if (!p.firstFrameAt) p.firstFrameAt = shownAt;
    if (!p.target || p.seenAt) return;
    const target = p.target;
    if (near(await read(), target) && p.target === target && !p.seenAt) { p.seenAt = shownAt; p.meta = meta; }
  };
  const video = () => document.querySelector('video');
  const onVideo = (t, meta) => { const v = video(); check(() => videoCentre(v), t, { receiveTime: meta.receiveTime, captureTime: meta.captureTime, expectedDisplayTime: meta.expectedDisplayTime }); v.requestVideoFrameCallback(onVideo); };
  const onCanvas = (t) => { const cv = document.querySelector('#screen canvas'); if (cv && cv.width > 0) check(() => canvasCentre(cv), t, null); requestAnimationFrame(onCanvas); };
  const start = () => { if (video()) video().requestVideoFrameCallback(onVideo); else if (document.querySelector('#screen')) requestAnimationFrame(onCanvas); else return setTimeout(start, 20); };
  start();
})()`;

async function measureFlips(viewer: Page, screen: XApp): Promise<{ samples: number[]; metas: unknown[] }> {
  await viewer.evaluate(PROBE);
  const samples: number[] = [];
  const metas: unknown[] = [];
  for (let i = 0; i < FLIPS + 2; i++) {
    const color = COLORS[i % COLORS.length];
    await viewer.evaluate((t) => Object.assign((window as never as { __probe: object }).__probe, { target: t, seenAt: 0 }), rgb(color));
    const t0 = now();
    await screen.command(`color ${color}`);
    await viewer.waitForFunction(() => (window as never as { __probe: { seenAt: number } }).__probe.seenAt > 0, undefined, {
      timeout: 10_000,
      polling: 'raf',
    });
    const seen = await viewer.evaluate(() => (window as never as { __probe: { seenAt: number; meta: unknown } }).__probe);
    if (i >= 2) samples.push(seen.seenAt - t0); // the first flips warm the encoder up
    // rVFC metadata splits each sample: flip → capture timestamp → last packet received → shown.
    const m = seen.meta as { captureTime?: number; receiveTime?: number } | null;
    const origin = await viewer.evaluate(() => performance.timeOrigin);
    if (i >= 2 && m?.captureTime && m.receiveTime)
      metas.push({ capture: origin + m.captureTime - t0, send: m.receiveTime - m.captureTime, show: seen.seenAt - origin - m.receiveTime });
    if (process.env.BENCH_DEBUG && i >= 2)
      console.log('sample', (seen.seenAt - t0).toFixed(1), JSON.stringify(metas.at(-1)), JSON.stringify(m));
    await pause(120 + Math.random() * 120); // off the capture clock, so flips do not alias with it
  }
  return { samples, metas };
}

/** Average per-frame stage times from getStats() on both ends. */
async function stageBreakdown(host: Page, viewer: Page) {
  const read = (page: Page, type: string) =>
    page.evaluate(async (t) => {
      const pcs = (window as never as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState === 'connected');
      for (const pc of pcs) for (const s of (await pc.getStats()).values()) if (s.type === t && s.kind === 'video') return s;
      return undefined;
    }, type);
  const out = (await read(host, 'outbound-rtp')) as Record<string, number> | undefined;
  const inn = (await read(viewer, 'inbound-rtp')) as Record<string, number> | undefined;
  const per = (a?: number, b?: number) => (a !== undefined && b ? (a / b) * 1000 : undefined);
  return {
    encode_ms: per(out?.totalEncodeTime, out?.framesEncoded),
    pacer_send_delay_ms: per(out?.totalPacketSendDelay, out?.packetsSent),
    encoder: out?.encoderImplementation,
    assembly_ms: per(inn?.totalAssemblyTime, inn?.framesAssembledFromMultiplePackets),
    jitter_buffer_ms: per(inn?.jitterBufferDelay, inn?.jitterBufferEmittedCount),
    decode_ms: per(inn?.totalDecodeTime, inn?.framesDecoded),
    processing_ms: per(inn?.totalProcessingDelay, inn?.framesDecoded),
    decoder: inn?.decoderImplementation,
  };
}

/** fps and bitrate seen by the viewer, plus host and viewer CPU, over `seconds`. */
async function rateWindow(viewer: Page | undefined, seconds: number, markers: { host: string; viewer: string }) {
  const snapshot = async () =>
    viewer?.evaluate(async () => {
      for (const pc of (window as never as { __pcs: RTCPeerConnection[] }).__pcs)
        for (const s of (await pc.getStats()).values())
          if (s.type === 'inbound-rtp' && s.kind === 'video')
            return { frames: s.framesDecoded as number, bytes: s.bytesReceived as number };
      return { frames: 0, bytes: 0 };
    });
  const cpu0 = { host: treeCpuSeconds(markers.host), viewer: treeCpuSeconds(markers.viewer), at: now() };
  const a = await snapshot();
  await pause(seconds * 1000);
  const b = await snapshot();
  const wall = (now() - cpu0.at) / 1000;
  return {
    fps: a && b ? (b.frames - a.frames) / wall : undefined,
    kbps: a && b ? ((b.bytes - a.bytes) * 8) / wall / 1000 : undefined,
    hostCpu: ((treeCpuSeconds(markers.host) - cpu0.host) / wall) * 100,
    viewerCpu: ((treeCpuSeconds(markers.viewer) - cpu0.viewer) / wall) * 100,
  };
}

type Variant = 'peerdesk' | 'baseline' | 'novnc';

/**
 * One PeerDesk or baseline session from a fresh host page: the viewer submits code + PIN, the host page allows at
 * once, and the time to the first shown frame is one time-to-first-frame sample.
 */
async function openWebrtcSession(harness: E2EHarness, variant: 'peerdesk' | 'baseline') {
  const query = (variant === 'baseline' ? '&profile=naive' : '') + (process.env.BENCH_QUERY ?? '');
  // The PeerDesk host runs with the switches the desktop app sets for itself; the baseline with none.
  const appSwitches = variant === 'peerdesk' ? asCommandLineFlags(HOST_CHROMIUM_SWITCHES) : [];
  harness.extraArgs.host = [`--peerdesk-bench=host-${variant}`, ...appSwitches];
  const host = await harness.hostPage('screen', true, query);
  await host.addInitScript(CAPTURE_PCS);
  await host.reload();
  await host.waitForSelector('#session-code');
  await host.evaluate(() =>
    new MutationObserver(() => document.querySelector<HTMLButtonElement>('#allow-view')?.click()).observe(document.body, {
      childList: true,
      subtree: true,
    }),
  );
  const viewer = await harness.viewerPage(query);
  await viewer.addInitScript(CAPTURE_PCS);
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
  await viewer.click('#join-submit');
  await viewer.waitForSelector('video');
  await viewer.evaluate(PROBE);
  await viewer.waitForFunction(() => (window as never as { __probe: { firstFrameAt: number } }).__probe.firstFrameAt > 0, undefined, {
    polling: 'raf',
  });
  const ttff = await viewer.evaluate(() => {
    const w = window as never as { __probe: { firstFrameAt: number }; __submitAt: number };
    return w.__probe.firstFrameAt - w.__submitAt;
  });
  await waitForDecodedFrames(viewer, 30);
  return { host, viewer, ttff, markers: { host: `--peerdesk-bench=host-${variant}`, viewer: '--peerdesk-bench=viewer' } };
}

async function openNoVncSession(harness: E2EHarness) {
  const vnc = await startNoVnc(harness.display);
  const browser = await launchChromium({ display: harness.display, extraArgs: ['--peerdesk-bench=viewer-novnc'] });
  const viewer = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage();
  await viewer.goto(vnc.viewerUrl);
  await viewer.waitForFunction(() => (document.querySelector('#screen canvas') as HTMLCanvasElement | null)?.width === 1280, undefined, {
    timeout: 20_000,
  });
  return {
    viewer,
    markers: { host: 'x11vnc', viewer: '--peerdesk-bench=viewer-novnc' },
    close: async () => {
      await browser.close();
      await vnc.stop();
    },
  };
}

/** Frame rate, bitrate and CPU while the screen is still, then busy. */
async function rates(screen: XApp, variant: Variant, viewer: Page | undefined, markers: { host: string; viewer: string }, rows: Row[]) {
  const still = await rateWindow(viewer, 5, markers);
  await screen.command('busy 1');
  const busy = await rateWindow(viewer, 8, markers);
  await screen.command('busy 0');
  if (viewer) {
    rows.push(
      single('fps_static', variant, still.fps ?? NaN),
      single('fps_busy', variant, busy.fps ?? NaN),
      single('bitrate_kbps_busy', variant, busy.kbps ?? NaN),
    );
  }
  rows.push(single('host_cpu_pct_busy', variant, busy.hostCpu), single('viewer_cpu_pct_busy', variant, busy.viewerCpu));
}

export async function runGlassToGlass(): Promise<void> {
  // The instrumented renderer carries the naive profile the baseline variant needs (renderer/instrumented.ts).
  const harness = await E2EHarness.start({ staticDir: 'dist/renderer-instrumented' });
  harness.extraArgs.viewer = ['--peerdesk-bench=viewer'];
  const rows: Row[] = [];
  const breakdowns: Record<string, unknown> = {};
  const only = process.env.BENCH_VARIANTS?.split(',');
  const variants = (['peerdesk', 'baseline', 'novnc'] as const).filter((v) => !only || only.includes(v));
  const flips: Record<string, number[]> = {};
  const splits: Record<string, Array<{ capture: number; send: number; show: number }>> = {};
  const ttff: Record<string, number[]> = {};
  try {
    const screen = await harness.openWindow('Bench colour flip', '#808080', '1280x800+0+0');
    // Rounds interleave the variants (in a rotating order), so drifts in machine load hit each one alike.
    for (let round = 0; round < ROUNDS; round++) {
      const last = round === ROUNDS - 1;
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length];
        if (variant === 'novnc') {
          const s = await openNoVncSession(harness);
          (flips[variant] ??= []).push(...(await measureFlips(s.viewer, screen)).samples);
          if (last && !process.env.BENCH_QUICK) await rates(screen, variant, undefined, s.markers, rows);
          await s.close();
          continue;
        }
        const s = await openWebrtcSession(harness, variant);
        (ttff[variant] ??= []).push(s.ttff);
        const measured = await measureFlips(s.viewer, screen);
        (flips[variant] ??= []).push(...measured.samples);
        (splits[variant] ??= []).push(...(measured.metas as Array<{ capture: number; send: number; show: number }>));
        if (last) {
          const split = splits[variant];
          breakdowns[variant] = {
            ...(await stageBreakdown(s.host, s.viewer)),
            flip_to_capture_ms_p50: percentile(
              split.map((x) => x.capture),
              50,
            ),
            capture_to_received_ms_p50: percentile(
              split.map((x) => x.send),
              50,
            ),
            received_to_shown_ms_p50: percentile(
              split.map((x) => x.show),
              50,
            ),
          };
          if (!process.env.BENCH_QUICK) await rates(screen, variant, s.viewer, s.markers, rows);
        }
        await harness.reset({ keepWindows: true });
      }
    }
  } finally {
    await harness.stop();
  }
  for (const v of variants) {
    rows.unshift(distribution('glass_to_glass_ms', v, flips[v]));
    if (ttff[v]) rows.push(distribution('time_to_first_frame_ms', v, ttff[v]));
  }
  const params = {
    resolution: '1280x800',
    rounds: ROUNDS,
    flips_per_round: FLIPS,
    network: 'loopback',
    chromium: 'Debian /usr/bin/chromium, headless',
  };
  if (process.env.BENCH_QUICK) {
    console.table(rows);
    console.table(breakdowns);
    return;
  }
  publish('glass-to-glass', params, rows, { stage_breakdown_ms: breakdowns });
  console.log('stage breakdown (per frame, ms):');
  console.table(breakdowns);
}
