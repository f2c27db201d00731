import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from '../../main/services/chromium-switches';
import { E2EHarness } from '../support/e2e-harness';
import { constrainLoopback } from '../support/network-conditions';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** The first video RTP stats object of `type` on the page's connected peer connections, with its codec's MIME type. */
function videoStats(page: Page, type: 'inbound-rtp' | 'outbound-rtp'): Promise<Record<string, number | string>> {
  return page.evaluate(async (t) => {
    for (const pc of (window as never as { __pdPeers: RTCPeerConnection[] }).__pdPeers) {
      if (pc.connectionState !== 'connected') continue;
      const report = await pc.getStats();
      for (const s of report.values()) if (s.type === t && s.kind === 'video') return { ...s, codec: report.get(s.codecId)?.mimeType };
    }
    throw new Error(`no ${t} video stats`);
  }, type);
}

/** The first codec on the video m-line of the answer the host's connected peer connection was given. */
function firstAnsweredCodec(host: Page): Promise<string | undefined> {
  return host.evaluate(() => {
    const pc = (window as never as { __pdPeers: RTCPeerConnection[] }).__pdPeers.find((p) => p.connectionState === 'connected');
    const sdp = pc?.remoteDescription?.sdp ?? '';
    const pt = /^m=video \S+ \S+ (\d+)/m.exec(sdp)?.[1];
    return pt ? new RegExp(`^a=rtpmap:${pt} ([^/]+)/`, 'm').exec(sdp)?.[1] : undefined;
  });
}

/**
 * Test instrumentation: every peer connection of the page taps its receivers' encoded frames (Chromium's encoded
 * insertable streams) and notes each video frame's codec when it differs from the last one noted.
 */
const RECORD_FRAME_CODECS = `{
  window.__codecs = [];
  const Previous = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Previous {
    constructor(config, ...rest) {
      super({ ...(config ?? {}), encodedInsertableStreams: true }, ...rest);
      this.addEventListener('track', ({ receiver, track }) => {
        const { readable, writable } = receiver.createEncodedStreams();
        const codecOf = (frame) => {
          const meta = frame.getMetadata();
          if (meta.mimeType) return meta.mimeType;
          const rtpmap = new RegExp('^a=rtpmap:' + meta.payloadType + ' ([^/]+)/', 'm').exec(this.remoteDescription?.sdp ?? '');
          return 'video/' + (rtpmap ? rtpmap[1] : 'pt' + meta.payloadType);
        };
        const note = new TransformStream({
          transform(frame, controller) {
            if (track.kind === 'video') {
              const codec = codecOf(frame);
              if (window.__codecs.at(-1) !== codec) window.__codecs.push(codec);
            }
            controller.enqueue(frame);
          },
        });
        void readable.pipeThrough(note).pipeTo(writable);
      });
    }
  };
}`;

const COLOURS: Array<[string, [number, number, number]]> = [
  ['#ff0000', [255, 0, 0]],
  ['#0000ff', [0, 0, 255]],
];

describe('what the desktop host does for latency (README: glass-to-glass, constrained network)', () => {
  it('the first frame goes as VP8 (its encoder starts faster), then the sender switches to VP9 without renegotiating', async () => {
    const host = await harness.hostPage('screen');
    // The viewer notes the codec of every encoded frame its decoder is fed, in order (an encoded-streams tap on each
    // receiver: a stats poll can miss a one-frame VP8 phase on a loaded machine), and every remote offer it was given
    // (its o= line: a renegotiation raises the session version; trickled candidates change the rest of the text).
    const viewer = await harness.viewerPage('', async (page) => void (await page.addInitScript(RECORD_FRAME_CODECS)));
    await viewer.evaluate(() => {
      const w = window as never as { __pdPeers: RTCPeerConnection[]; __sdps: string[] };
      w.__sdps = [];
      setInterval(() => {
        for (const pc of w.__pdPeers) {
          const origin = /^o=.*$/m.exec(pc.remoteDescription?.sdp ?? '')?.[0];
          if (origin && !w.__sdps.includes(origin)) w.__sdps.push(origin);
        }
      }, 10);
    });
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await viewer.waitForFunction(() => (window as never as { __codecs: string[] }).__codecs.includes('video/VP9'), undefined, {
      timeout: 15_000,
    });
    const seen = await viewer.evaluate(() => {
      const w = window as never as { __codecs: string[]; __sdps: string[] };
      return { codecs: w.__codecs, descriptions: w.__sdps.length };
    });
    expect(seen.codecs).toEqual(['video/VP8', 'video/VP9']);
    expect(seen.descriptions).toBe(1);
    // VP8 is the first codec of the answer the host sends with, not only picked per encoding afterwards: a VP9-first
    // answer made the sender build a VP9 encoder for the first captured frame before the VP8 one (issue 28).
    expect(await firstAnsweredCodec(host)).toBe('VP8');
  });

  it('screen content goes as VP9, and over a 4 Mbit/s link the viewer holds no frame in a jitter buffer', async () => {
    // The host browser runs with the switches the desktop app sets for itself (main.ts); the viewer, any browser, with none.
    harness.extraArgs.host = asCommandLineFlags(HOST_CHROMIUM_SWITCHES);
    const screen = await harness.openWindow('Colour flip', '#808080', '1280x800+0+0');
    const host = await harness.hostPage('screen');
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await waitForDecodedFrames(viewer, 30);
    expect((await videoStats(host, 'outbound-rtp')).codec).toBe('video/VP9');

    const undo = constrainLoopback({ rateMbit: 4, lossPct: 0, tcpPorts: [] });
    try {
      // A busy screen over a capped link sends large frames, and the receiver's jitter estimate grows with the largest:
      // without the host's zero playout delay, every frame after (these colour changes) is held for it.
      await screen.command('busy 1');
      const warm = Number((await videoStats(viewer, 'inbound-rtp')).framesDecoded);
      await waitForDecodedFrames(viewer, warm + 60);
      await screen.command('busy 0');
      // The time a frame spent in the jitter buffer, per colour change (the frames emitted between two changes).
      const held: number[] = [];
      let before = await videoStats(viewer, 'inbound-rtp');
      for (let i = 0; i < 12; i++) {
        const [hex, rgb] = COLOURS[i % 2];
        await screen.command(`color ${hex}`);
        await waitForVideoColor(viewer, rgb, 0.5, 0.5);
        const after = await videoStats(viewer, 'inbound-rtp');
        const frames = Number(after.jitterBufferEmittedCount) - Number(before.jitterBufferEmittedCount);
        if (frames > 0) held.push(((Number(after.jitterBufferDelay) - Number(before.jitterBufferDelay)) / frames) * 1000);
        before = after;
      }
      // Measured here: 9–24 ms on average with the host's switches (first packet → frame complete, the link's own time;
      // 64 once in a full CI run under load), 97–256 ms without the zero playout delay, where every frame is held (a
      // median of 95 ms at load 17, with the switches taken out to check this test fails then). The
      // median of the changes is what is bounded: a moment of load lengthens one change, not most of them.
      held.sort((x, y) => x - y);
      expect(held.length).toBeGreaterThanOrEqual(6);
      expect(held[Math.floor(held.length / 2)]).toBeLessThan(80);
    } finally {
      undo();
    }
  }, 180_000); // 60 frames of a busy screen at 4 Mbit/s and 12 changes: over a minute on a machine under full load
});
