/**
 * What recording costs the technician's side (issue 29): the same live session with a busy screen, measured with
 * and without the technician's recording running, in one run, the two taking turns (off/on, then on/off, …) so a
 * change in the shared machine's load falls on both alike. For each window: frames shown **at the glass** (the pixel
 * observer counts redraws of the viewer's video on its own X display), frames the viewer's page decoded (its
 * inbound-rtp stats), and the CPU of the technician's whole browser (process tree, /proc). Recording starts with the
 * person's Allow and its first chunk written before a window starts, and is stopped (and saved) after it: the
 * figures are of recording running, not of starting or saving it.
 * Run: npm run bench -- recording
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { shownRegion, startGlassRig, usageWindow } from './glass-to-glass';
import { type GlassSession, openWebrtcSession } from './lib/glass-sessions';
import { publish } from './lib/results';
import { mean, type Row, single } from './lib/stats';

const ROUNDS = Number(process.env.BENCH_RECORDING_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_RECORDING_SECONDS ?? 10);
const VARIANTS = ['peerdesk', 'peerdesk-recording'] as const;
type RecVariant = (typeof VARIANTS)[number];

/** Video frames the viewer's page has decoded so far (its peer connection's inbound-rtp stats). */
const framesDecoded = (viewer: Page) =>
  viewer.evaluate(async () => {
    for (const pc of (window as never as { __pcs: RTCPeerConnection[] }).__pcs)
      for (const s of (await pc.getStats()).values())
        if (s.type === 'inbound-rtp' && s.kind === 'video') return (s.framesDecoded as number | undefined) ?? 0;
    return 0;
  });

/** The technician asks, the person allows, and the recorder has written its first chunk. */
async function startRecording(s: GlassSession): Promise<void> {
  await s.viewer.click('#record');
  await s.host!.click('#allow-recording', { timeout: 30_000 });
  await s.viewer.waitForFunction(() => document.body.dataset.recording === 'on', undefined, { timeout: 30_000 });
  await s.viewer.waitForFunction(() => Number(document.body.dataset.recordingBytes ?? 0) > 0, undefined, { timeout: 30_000 });
}

/** The technician stops it and the file is saved (hashed, downloaded), so the next window starts from quiet. */
async function stopRecording(s: GlassSession): Promise<void> {
  const savedBefore = await s.viewer.evaluate(() => document.body.dataset.recordingSaved ?? '');
  await s.viewer.click('#record');
  await s.viewer.waitForFunction((before) => (document.body.dataset.recordingSaved ?? '') !== before, savedBefore, { timeout: 60_000 });
  await s.viewer.waitForFunction(() => document.body.dataset.recordingPhase === 'none', undefined, { timeout: 30_000 });
}

interface Window {
  glassFps: number;
  decodedFps: number;
  viewerCpu: number;
  hostCpu: number;
}

async function measureWindow(s: GlassSession, watch: Awaited<ReturnType<typeof startGlassRig>>['watch']): Promise<Window> {
  const decoded0 = await framesDecoded(s.viewer);
  const t0 = performance.now();
  const [usage, glass] = await Promise.all([usageWindow(s.viewer, SECONDS, s.markers), watch.frames(shownRegion(s), SECONDS * 1000)]);
  const decoded = (await framesDecoded(s.viewer)) - decoded0;
  const wall = (performance.now() - t0) / 1000;
  return { glassFps: glass.frames / SECONDS, decodedFps: decoded / wall, viewerCpu: usage.viewerCpu, hostCpu: usage.hostCpu };
}

export async function runRecordingCost(): Promise<void> {
  const rig = await startGlassRig();
  const { harness, watch, screen } = rig;
  const windows: Record<RecVariant, Window[]> = { peerdesk: [], 'peerdesk-recording': [] };
  try {
    const s = await openWebrtcSession(harness, 'peerdesk');
    await s.viewer.waitForSelector('#record:not([disabled])');
    await screen.command('busy 1');
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
      for (const variant of order) {
        if (variant === 'peerdesk-recording') await startRecording(s);
        const w = await measureWindow(s, watch);
        if (variant === 'peerdesk-recording') await stopRecording(s);
        windows[variant].push(w);
        console.log(`round ${round + 1} ${variant}`, w);
      }
    }
    await screen.command('busy 0');
    const rows: (Row & { rounds: number[] })[] = [];
    const each = (w: Window[], key: keyof Window) => w.map((x) => Math.round(x[key] * 10) / 10);
    for (const variant of VARIANTS) {
      const w = windows[variant];
      rows.push(
        { ...single('fps_recording', variant, mean(w.map((x) => x.glassFps))), rounds: each(w, 'glassFps') },
        { ...single('fps_decoded_recording', variant, mean(w.map((x) => x.decodedFps))), rounds: each(w, 'decodedFps') },
        { ...single('viewer_cpu_pct_recording', variant, mean(w.map((x) => x.viewerCpu))), rounds: each(w, 'viewerCpu') },
        { ...single('host_cpu_pct_recording', variant, mean(w.map((x) => x.hostCpu))), rounds: each(w, 'hostCpu') },
      );
    }
    publish(
      'recording-cost',
      {
        rounds: ROUNDS,
        seconds_per_window: SECONDS,
        screen: '1280x800, busy (random detail every 33 ms)',
        order: 'off/on, then on/off, alternating by round; one session throughout',
        fps_recording: 'redraws of the viewer video counted at the glass (x-pixel-observer on the viewer display), per second',
        fps_decoded_recording: 'frames the viewer page decoded (inbound-rtp framesDecoded), per second',
        viewer_cpu_pct_recording: "the technician's browser, whole process tree (/proc), % of one core",
        host_cpu_pct_recording: "the person's browser, whole process tree (/proc), % of one core",
      },
      rows,
      // The machine is shared: its load says how much of a difference is this code's.
      { load_average_at_end: loadavg().map((l) => Math.round(l * 10) / 10) },
    );
    await s.close();
  } finally {
    await rig.stop();
  }
}
