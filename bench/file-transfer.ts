/**
 * File transfer while video streams (a busy screen): MiB/s host→viewer and viewer→host, PeerDesk with each of its
 * sending settings (renderer/files/transfer-pace.ts: `peerdesk` = the default, `peerdesk-<setting>`; its own "files"
 * channel, SHA-256 on both ends, through the real UI and, on the host, main's FileSaveService) beside a naive
 * baseline in the same session (one extra reliable channel, fixed 16 KiB chunks, polling bufferedAmount, no
 * hashing), plus the video frame rate decoded during each transfer, and without any transfer (`fps_busy`, before
 * and after them). Also the bare channel (64 KiB messages, no app code at all). Variants take turns direction by
 * direction, so a change in the shared machine's load falls on all of them alike.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2EHarness } from '../test/support/e2e-harness';
import { watchingSession } from '../test/support/control-session';
import { profilePage } from './lib/page-profile';
import { publish } from './lib/results';
import { threadTicks, topThreads } from './lib/thread-cpu';
import { DEFAULT_TRANSFER_PACE, TRANSFER_PACES, type TransferPaceName } from '../renderer/files/transfer-pace';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_TRANSFER_MIB ?? 50);
/** Video frames decoded over this long with no transfer: the frame rate a transfer is compared with. */
const FPS_BUSY_MS = 10_000;

/** Frames the viewer has decoded so far (its own inbound-rtp stats). */
const framesDecoded = (viewer: Page) =>
  viewer.evaluate(async () => {
    const pc = (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!;
    let frames = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
    });
    return frames;
  });

/**
 * Why the host's encoder held back so far: seconds it spent limited by CPU, by bandwidth (the congestion
 * controller's estimate, which a transfer sharing the transport can lower) or by nothing (its outbound-rtp stats).
 */
const encoderLimits = (host: Page) =>
  host.evaluate(async () => {
    const pc = (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!;
    let limits: Record<string, number> = {};
    (await pc.getStats()).forEach((s: { type: string; kind?: string; qualityLimitationDurations?: Record<string, number> }) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') limits = s.qualityLimitationDurations ?? {};
    });
    return limits;
  });

/** Where the time went during one transfer: each page's main-thread JavaScript profile, and every browser thread's CPU. */
const split: Record<string, unknown> = {};

/**
 * PeerDesk's own transfer through the UI with a sending setting: from the receiver's Accept to the sender's "done"
 * (verified). Both pages' main threads are profiled meanwhile (1 ms sampling: a cost every variant would not pay, so
 * only with BENCH_TRANSFER_PROFILE=1).
 */
async function peerdeskTransfer(sender: Page, receiver: Page, path: string, pace: TransferPaceName, key: string): Promise<number> {
  if (process.env.BENCH_TRANSFER_PROFILE !== '1') return uiTransfer(sender, receiver, path, pace);
  let receiving: Record<string, number> = {};
  const { result, profile } = await profilePage(sender, async () => {
    const r = await profilePage(receiver, () => uiTransfer(sender, receiver, path, pace));
    receiving = r.profile;
    return r.result;
  });
  split[`${key} sender main thread`] = profile;
  split[`${key} receiver main thread`] = receiving;
  return result;
}

async function uiTransfer(sender: Page, receiver: Page, path: string, pace: TransferPaceName): Promise<number> {
  if (await sender.isHidden('#files-panel')) await sender.click('#toggle-files');
  await sender.selectOption('#transfer-pace', pace);
  // One row per finished transfer stays in the list: wait for this one's, not an earlier one's.
  const doneBefore = await sender.locator('#transfer-list li[data-direction="out"][data-state="done"]').count();
  await sender.setInputFiles('#file-input', path);
  await receiver.waitForSelector('#transfer-list li[data-state="incoming"]');
  const started = Date.now();
  await receiver.click('#transfer-list li[data-state="incoming"] [data-action="accept"]');
  await sender.locator('#transfer-list li[data-direction="out"][data-state="done"]').nth(doneBefore).waitFor({ timeout: 600_000 });
  return Date.now() - started;
}

/** The naive way: one more reliable channel, 16 KiB chunks, wait while more than 1 MiB is queued by polling. */
async function naiveTransfer(sender: Page, receiver: Page, id: number, chunk: number, hashing: boolean): Promise<number> {
  const total = SIZE_MIB * MIB;
  const open = (page: Page) =>
    page.evaluate(
      ({ id, total }) => {
        const pc = (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!;
        const ch = pc.createDataChannel(`bench-${id}`, { negotiated: true, id, ordered: true });
        ch.binaryType = 'arraybuffer';
        let got = 0;
        (window as unknown as { __benchDone: Promise<number> }).__benchDone = new Promise((resolve) => {
          ch.onmessage = (e) => {
            got += (e.data as ArrayBuffer).byteLength;
            if (got >= total) resolve(performance.now());
          };
        });
        (window as unknown as { __benchChannel: RTCDataChannel }).__benchChannel = ch;
        return new Promise<void>((resolve) => (ch.readyState === 'open' ? resolve() : (ch.onopen = () => resolve())));
      },
      { id, total },
    );
  await Promise.all([open(sender), open(receiver)]);
  const started = Date.now();
  const done = receiver.evaluate(() => (window as unknown as { __benchDone: Promise<number> }).__benchDone);
  await sender.evaluate(
    async ({ total, chunk, hashing }) => {
      const ch = (window as unknown as { __benchChannel: RTCDataChannel }).__benchChannel;
      const data = new Uint8Array(chunk);
      for (let sent = 0; sent < total; sent += chunk) {
        while (ch.bufferedAmount > 1024 * 1024) await new Promise((r) => setTimeout(r, 10));
        if (hashing) await crypto.subtle.digest('SHA-256', data);
        ch.send(data);
      }
    },
    { total, chunk, hashing },
  );
  await done;
  return Date.now() - started;
}

export async function runFileTransfer(): Promise<void> {
  const harness = await E2EHarness.start();
  const rows = [];
  const paces = Object.keys(TRANSFER_PACES) as TransferPaceName[];
  const nameOf = (pace: TransferPaceName) => (pace === DEFAULT_TRANSFER_PACE ? 'peerdesk' : `peerdesk-${pace}`);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'peerdesk-bench-transfer-'));
    const path = join(dir, 'payload.bin');
    writeFileSync(path, randomBytes(SIZE_MIB * MIB));
    const busy = await harness.openWindow('Busy', '#204060', '1280x800+0+0');
    await busy.command('busy 1');
    const { host, viewer } = await watchingSession(harness, 'screen');
    const measured: Record<string, { mibs: number; fps: number }> = {};
    const measure = async (key: string, run: () => Promise<number>) => {
      const before = await framesDecoded(viewer);
      const [threads, limitsBefore] = [threadTicks('chromium'), await encoderLimits(host)];
      const ms = await run();
      const frames = (await framesDecoded(viewer)) - before;
      measured[key] = { mibs: +(SIZE_MIB / (ms / 1000)).toFixed(1), fps: +(frames / (ms / 1000)).toFixed(1) };
      split[`${key} browser threads, CPU s`] = topThreads(threads, threadTicks('chromium'));
      const limitsAfter = await encoderLimits(host);
      split[`${key} host encoder limited by, s`] = Object.fromEntries(
        Object.entries(limitsAfter).map(([reason, s]) => [reason, +(s - (limitsBefore[reason] ?? 0)).toFixed(1)]),
      );
      console.log(key, measured[key]);
    };
    const idle = () => new Promise<number>((r) => setTimeout(() => r(FPS_BUSY_MS), FPS_BUSY_MS));
    await measure('busy before', idle);
    let channelId = 20;
    for (const [sender, receiver, dir] of [
      [host, viewer, 'host→viewer'],
      [viewer, host, 'viewer→host'],
    ] as const) {
      for (const pace of paces) {
        const key = `${nameOf(pace)} ${dir}`;
        await measure(key, () => peerdeskTransfer(sender, receiver, path, pace, key));
      }
      await measure(`baseline ${dir}`, () => naiveTransfer(sender, receiver, channelId++, 16 * 1024, false));
      await measure(`channel-floor ${dir}`, () => naiveTransfer(sender, receiver, channelId++, 64 * 1024, false));
    }
    await measure('busy after', idle);
    for (const variant of [...paces.map(nameOf), 'baseline', 'channel-floor']) {
      const h2v = measured[`${variant} host→viewer`]!;
      const v2h = measured[`${variant} viewer→host`]!;
      for (const [metric, key] of [
        ['transfer_mib_s', 'mibs'],
        ['fps_during_transfer', 'fps'],
      ] as const)
        rows.push({ metric, variant, value: Math.min(h2v[key], v2h[key]), host_to_viewer: h2v[key], viewer_to_host: v2h[key] });
    }
    const fpsBusy = [measured['busy before']!.fps, measured['busy after']!.fps];
    rows.push({
      metric: 'fps_busy',
      variant: 'peerdesk',
      value: +((fpsBusy[0]! + fpsBusy[1]!) / 2).toFixed(1),
      before: fpsBusy[0],
      after: fpsBusy[1],
    });
    await busy.command('busy 0');
  } finally {
    await harness.stop();
  }
  publish(
    'file-transfer',
    {
      size_mib: SIZE_MIB,
      screen: 'busy (random detail every 33 ms)',
      resolution: '1280x800',
      settings: Object.fromEntries(paces.map((p) => [nameOf(p), { setting: p, ...TRANSFER_PACES[p] }])),
      value: 'the lower of the two directions',
      // The machine is shared: what else ran meanwhile (1, 5 and 15 min load averages at the end; 2 cores).
      load_average_at_end: loadavg().map((l) => +l.toFixed(1)),
      fps_busy: `video frames decoded per second over ${FPS_BUSY_MS / 1000} s with no transfer, before and after the transfers (their mean)`,
    },
    rows as never,
    { where_time_goes: split },
  );
}
