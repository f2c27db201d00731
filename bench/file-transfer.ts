/**
 * File transfer while video streams (a busy screen): MiB/s host→viewer and viewer→host, PeerDesk (its own
 * "files" channel, 16 KiB chunks, 1 MiB/256 KiB backpressure, SHA-256 on both ends, through the real UI and, on the
 * host, main's FileSaveService) beside a naive baseline in the same session (one extra reliable channel, fixed
 * 16 KiB chunks, polling bufferedAmount, no hashing), plus the video frame rate decoded during each transfer.
 * Also the bare channel's own rate (no app code at all), which is the floor of what any variant can reach here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2EHarness } from '../test/support/e2e-harness';
import { watchingSession } from '../test/support/control-session';
import { publish } from './lib/results';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_TRANSFER_MIB ?? 50);

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

/** PeerDesk's own transfer through the UI: from the receiver's Accept to the sender's "done" (verified). */
async function peerdeskTransfer(sender: Page, receiver: Page, path: string): Promise<number> {
  if (await sender.isHidden('#files-panel')) await sender.click('#toggle-files');
  await sender.setInputFiles('#file-input', path);
  await receiver.waitForSelector('#transfer-list li[data-state="incoming"]');
  const started = Date.now();
  await receiver.click('#transfer-list li[data-state="incoming"] [data-action="accept"]');
  await sender.waitForSelector('#transfer-list li[data-direction="out"][data-state="done"]', { timeout: 600_000 });
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
      const ms = await run();
      const frames = (await framesDecoded(viewer)) - before;
      measured[key] = { mibs: +(SIZE_MIB / (ms / 1000)).toFixed(1), fps: +(frames / (ms / 1000)).toFixed(1) };
      console.log(key, measured[key]);
    };
    await measure('peerdesk host→viewer', () => peerdeskTransfer(host, viewer, path));
    await measure('peerdesk viewer→host', () => peerdeskTransfer(viewer, host, path));
    await measure('baseline host→viewer', () => naiveTransfer(host, viewer, 20, 16 * 1024, false));
    await measure('baseline viewer→host', () => naiveTransfer(viewer, host, 21, 16 * 1024, false));
    await measure('floor host→viewer', () => naiveTransfer(host, viewer, 22, 64 * 1024, false));
    for (const variant of ['peerdesk', 'baseline', 'floor'] as const) {
      const h2v = measured[`${variant} host→viewer`]!;
      const v2h = measured[`${variant} viewer→host`];
      const name = variant === 'floor' ? 'channel-floor' : variant;
      rows.push({
        metric: 'transfer_mib_s',
        variant: name,
        value: Math.min(h2v.mibs, v2h?.mibs ?? h2v.mibs),
        host_to_viewer: h2v.mibs,
        viewer_to_host: v2h?.mibs,
      });
      rows.push({
        metric: 'fps_during_transfer',
        variant: name,
        value: Math.min(h2v.fps, v2h?.fps ?? h2v.fps),
        host_to_viewer: h2v.fps,
        viewer_to_host: v2h?.fps,
      });
    }
    await busy.command('busy 0');
  } finally {
    await harness.stop();
  }
  publish('file-transfer', { size_mib: SIZE_MIB, screen: 'busy (random detail every 33 ms)', resolution: '1280x800' }, rows as never);
}
