import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PaceControl } from '../../../renderer/files/pace-controller';
import { followVideo, readVideoFrames, SAMPLE_MS, type VideoFrames } from '../../../renderer/files/video-pace';
import { wrtcPair } from '../../support/wrtc-pair';

/** A stats report as getStats resolves it (a map of stats objects by id). */
const report = (...stats: object[]) => ({
  getStats: async () => new Map(stats.map((s, i) => [String(i), s])) as unknown as RTCStatsReport,
});

let cleanup: () => void = () => undefined;
afterEach(() => {
  cleanup();
  cleanup = () => undefined;
  vi.useRealTimers();
});

describe('reading the video frames this side handles', () => {
  it("the host's encoded frames when it sends video, else the viewer's decoded frames; audio is not the picture", async () => {
    const out = { type: 'outbound-rtp', kind: 'video', framesEncoded: 90, framesPerSecond: 30, timestamp: 5000 };
    const inbound = { type: 'inbound-rtp', kind: 'video', framesDecoded: 40, framesPerSecond: 20, timestamp: 6000 };
    const audio = { type: 'inbound-rtp', kind: 'audio', framesDecoded: 999, timestamp: 6000 };
    expect(await readVideoFrames(report(audio, inbound, out))).toEqual({ frames: 90, at: 5000, fps: 30 });
    expect(await readVideoFrames(report(audio, inbound))).toEqual({ frames: 40, at: 6000, fps: 20 });
    expect(await readVideoFrames(report(audio))).toBeUndefined();
  });

  it('no sample when getStats fails or never answers (the pace falls back instead of waiting)', async () => {
    expect(await readVideoFrames({ getStats: () => Promise.reject(new Error('closed')) })).toBeUndefined();
    vi.useFakeTimers();
    const hung = readVideoFrames({ getStats: () => new Promise(() => undefined) });
    await vi.advanceTimersByTimeAsync(2000);
    expect(await hung).toBeUndefined();
  });

  it('real libwebrtc: the sending side reads its encoder, the receiving side its decoder', async () => {
    const pair = wrtcPair();
    const source = new wrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    pair.a.addTrack(track as unknown as MediaStreamTrack);
    const [width, height] = [64, 48];
    const frame = { width, height, data: new Uint8Array((width * height * 3) / 2) };
    const feeding = setInterval(() => source.onFrame(frame), 33);
    cleanup = () => (clearInterval(feeding), track.stop(), pair.close());
    await pair.connect();
    await expect.poll(async () => (await readVideoFrames(pair.a))?.frames ?? 0, { timeout: 10_000 }).toBeGreaterThan(5);
    await expect.poll(async () => (await readVideoFrames(pair.b))?.frames ?? 0, { timeout: 10_000 }).toBeGreaterThan(5);
  }, 20_000);
});

const CONTROL: PaceControl = {
  start: 1000,
  floor: 100,
  ceiling: 10_000,
  fallback: 700,
  cutBelow: 0.85,
  growAbove: 0.95,
  cutFactor: 0.5,
  growFactor: 1,
  growStep: 100,
  stillFps: 5,
  missingSamples: 2,
  referenceDecay: 0.5,
};

/**
 * Runs the sampler on a made-up video whose frame rate is `fps()` at each moment (fake clock), the transfer's bytes
 * leaving at whatever rate was last set; the rates it set, in order.
 */
async function run(fps: (t: number) => number | undefined, samples: number) {
  vi.useFakeTimers();
  let [now, frames, rate, left] = [0, 0, 0, 0];
  const read = async (): Promise<VideoFrames | undefined> => {
    const f = fps(now);
    return f === undefined ? undefined : { frames, at: now, fps: f };
  };
  const rates: number[] = [];
  const follower = await followVideo(
    read,
    CONTROL,
    (r) => rates.push((rate = r)),
    () => left,
    () => now,
  );
  for (let i = 0; i < samples; i++) {
    const step = SAMPLE_MS / 1000;
    frames += (fps(now) ?? 0) * step;
    left += rate * step;
    now += SAMPLE_MS;
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
  }
  follower.stop();
  return rates;
}

describe('following the video while a transfer sends', () => {
  it('starts at the start rate, grows while the frame rate holds, cuts when it drops', async () => {
    const rates = await run((t) => (t < 2000 ? 20 : 8), 8);
    expect(rates[0]).toBe(1000);
    expect(Math.max(...rates)).toBeGreaterThan(1000);
    expect(rates.at(-1)).toBeLessThan(Math.max(...rates));
  });

  it('with no stats at all the transfer still moves: the fixed fallback rate', async () => {
    const rates = await run(() => undefined, 4);
    expect(rates[0]).toBe(1000);
    expect(rates.at(-1)).toBe(CONTROL.fallback);
  });

  it('stops sampling when told', async () => {
    vi.useFakeTimers();
    const read = vi.fn(async () => undefined);
    const follower = await followVideo(
      read,
      CONTROL,
      () => undefined,
      () => 0,
    );
    follower.stop();
    await vi.advanceTimersByTimeAsync(SAMPLE_MS * 5);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
