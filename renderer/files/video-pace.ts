import { PaceController, type PaceControl } from './pace-controller';

/** What the pace follows: frames the video has gone through so far on this side, and when (ms). */
export interface VideoFrames {
  frames: number;
  at: number;
  /** The stats' own frames-per-second figure (the last second), when given. */
  fps?: number;
}

/** How often the video's stats are read while a transfer is paced by them. */
export const SAMPLE_MS = 400;
/** A stats read that takes longer than this counts as no sample (the pace falls back rather than waits). */
const STATS_TIMEOUT_MS = 2000;

type StatsEntry = {
  type: string;
  kind?: string;
  framesEncoded?: number;
  framesDecoded?: number;
  framesPerSecond?: number;
  timestamp?: number;
};

/**
 * The video frames this side handles: the host's encoder (outbound-rtp `framesEncoded`) when it sends video, else
 * the viewer's decoder (inbound-rtp `framesDecoded`). Undefined when there is no video or the stats fail.
 */
export async function readVideoFrames(pc: Pick<RTCPeerConnection, 'getStats'>): Promise<VideoFrames | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), STATS_TIMEOUT_MS)));
  try {
    const report = await Promise.race([pc.getStats(), late]);
    if (!report) return undefined;
    let out: VideoFrames | undefined;
    let inbound: VideoFrames | undefined;
    report.forEach((s: StatsEntry) => {
      if (s.kind !== 'video') return;
      if (s.type === 'outbound-rtp' && typeof s.framesEncoded === 'number' && (!out || s.framesEncoded > out.frames))
        out = { frames: s.framesEncoded, at: s.timestamp ?? performance.now(), fps: s.framesPerSecond };
      if (s.type === 'inbound-rtp' && typeof s.framesDecoded === 'number' && (!inbound || s.framesDecoded > inbound.frames))
        inbound = { frames: s.framesDecoded, at: s.timestamp ?? performance.now(), fps: s.framesPerSecond };
    });
    return out ?? inbound;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a PaceController on this side's video stats every SAMPLE_MS while a transfer sends: `setRate` gets each new
 * rate, `leftBytes` says how many bytes have left this side's queue so far. Never blocks sending: the rate in force
 * stays until the next sample, and with no stats the controller falls back to a fixed rate. `stop()` ends it.
 */
export async function followVideo(
  read: () => Promise<VideoFrames | undefined>,
  control: PaceControl,
  setRate: (bytesPerSecond: number) => void,
  leftBytes: () => number,
  now: () => number = () => performance.now(),
): Promise<{ stop(): void; controller: PaceController }> {
  let last = await read();
  const controller = new PaceController(control, last?.fps);
  setRate(controller.rate);
  let lastBytes = leftBytes();
  let lastAt = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    const frames = await read();
    if (stopped) return;
    const t = now();
    const bytes = leftBytes();
    const fps = frames && last && frames.at > last.at ? ((frames.frames - last.frames) * 1000) / (frames.at - last.at) : undefined;
    const sentRate = t > lastAt ? ((bytes - lastBytes) * 1000) / (t - lastAt) : undefined;
    [last, lastBytes, lastAt] = [frames ?? last, bytes, t];
    setRate(controller.update({ fps: frames ? fps : undefined, sentRate }));
    timer = setTimeout(tick, SAMPLE_MS);
  };
  timer = setTimeout(tick, SAMPLE_MS);
  return {
    controller,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
