/**
 * Resolution that follows what the link and the host's CPU can carry while the screen is busy, and returns to full
 * resolution as soon as the screen settles. Pure functions over `getStats()` samples; `link-adapter.ts` runs them.
 *
 * Why: for screen content (contentHint 'detail') Chromium's encoders keep every pixel and drop frames instead — they
 * report no quality limitation, so `degradationPreference` changes nothing. Under a 4 Mbit/s cap with loss a busy
 * 1280×800 screen then left as 12–16 fps of 18–40 KiB frames with freezes of 300 ms, while the naive VP8 baseline
 * (whose encoder may scale) kept ~29 fps at 1100×688 (README, constrained network). Text on a still screen stays sharp:
 * a still screen's frames are tiny and cheap, so the predicted cost at full resolution fits and the scale goes back.
 */

/** The video sender's cumulative counters at one moment (from outbound-rtp, media-source and the candidate pair). */
export interface SenderCounters {
  /** ms, the stats' own timestamp. */
  at: number;
  framesEncoded: number;
  /** Payload bytes sent (outbound-rtp `bytesSent`). */
  bytesSent: number;
  /** Seconds spent encoding (outbound-rtp `totalEncodeTime`). */
  totalEncodeTime: number;
  /** Frames the capture delivered to the sender (media-source `frames`), when the browser reports it. */
  framesCaptured?: number;
  /** The bandwidth estimate, bit/s (candidate-pair `availableOutgoingBitrate`, else the encoder's target). */
  availableBps?: number;
  /** Fraction of packets the viewer reports lost (remote-inbound-rtp `fractionLost`). */
  fractionLost?: number;
}

/** What the encoder did between two samples, per frame and per second. */
export interface LinkWindow {
  encodedFps: number;
  capturedFps?: number;
  bitsPerFrame: number;
  encodeMsPerFrame: number;
  availableBps?: number;
  fractionLost: number;
}

export interface AdaptationState {
  /** scaleResolutionDownBy in force. */
  scale: number;
  /** Consecutive windows in which the next larger size would have fitted. */
  roomyWindows: number;
}

/** The frame rate a busy screen should reach at the glass (the capture runs at up to 60). */
export const TARGET_FPS = 30;
/** Below this encoded rate, with frames the capture delivered left unencoded, the sender is struggling. */
const STRUGGLING_FPS = 24;
/** The share of the link video may plan to use (room for retransmissions, the data channels, estimate error). */
const LINK_SHARE = 0.8;
/** The share of a frame interval encoding may take (the host page, capture and pacing need the rest). */
const ENCODE_SHARE = 0.6;
/** Scales the sender uses: full size, then about 1024×640, 800×500, 640×400 for a 1280×800 screen. */
export const SCALES = [1, 1.25, 1.6, 2] as const;
/** Windows in a row the next larger size must fit before it is taken (hysteresis: a step up costs a keyframe). */
const ROOMY_WINDOWS_TO_GROW = 3;
/** Predicted cost at the next larger size must stay under this, so a step up is not undone at once. */
const GROW_BELOW = 0.7;

export const initialAdaptation = (): AdaptationState => ({ scale: 1, roomyWindows: 0 });

/** The window between two samples; undefined when nothing was encoded or the counters went back (a new encoder). */
export function linkWindow(from: SenderCounters, to: SenderCounters): LinkWindow | undefined {
  const seconds = (to.at - from.at) / 1000;
  const frames = to.framesEncoded - from.framesEncoded;
  if (seconds <= 0 || frames <= 0 || to.bytesSent < from.bytesSent) return undefined;
  const captured =
    to.framesCaptured !== undefined && from.framesCaptured !== undefined ? (to.framesCaptured - from.framesCaptured) / seconds : undefined;
  return {
    encodedFps: frames / seconds,
    capturedFps: captured !== undefined && captured >= 0 ? captured : undefined,
    bitsPerFrame: ((to.bytesSent - from.bytesSent) * 8) / frames,
    encodeMsPerFrame: ((to.totalEncodeTime - from.totalEncodeTime) * 1000) / frames,
    availableBps: to.availableBps,
    fractionLost: to.fractionLost ?? 0,
  };
}

/**
 * How far over what the link and the CPU allow `TARGET_FPS` frames of this window's size would be: 1 = exactly
 * what fits. Both costs grow with the pixel count, so at scale s' they are this × (s / s')².
 */
export function costRatio(w: LinkWindow): number {
  const cpu = (w.encodeMsPerFrame * TARGET_FPS) / (1000 * ENCODE_SHARE);
  if (!w.availableBps) return cpu;
  // Lost packets are sent again: each loss costs its bytes twice.
  const link = (w.bitsPerFrame * TARGET_FPS * (1 + w.fractionLost)) / (w.availableBps * LINK_SHARE);
  return Math.max(cpu, link);
}

/** The encoder left captured frames unencoded and the screen shows fewer than STRUGGLING_FPS. */
function struggling(w: LinkWindow): boolean {
  const offered = w.capturedFps ?? TARGET_FPS;
  return w.encodedFps < STRUGGLING_FPS && w.encodedFps < offered * 0.8;
}

/** The smallest listed scale at or above `wanted` (the largest when none is). */
const scaleAtLeast = (wanted: number) => SCALES.find((s) => s >= wanted - 1e-9) ?? SCALES[SCALES.length - 1];

/** The next state after one window: down at once to the size that fits, up one step once it has fitted a while. */
export function adapt(state: AdaptationState, w: LinkWindow): AdaptationState {
  const ratio = costRatio(w);
  if (struggling(w) && ratio > 1) {
    // Pixels scale with the square of the factor; aim where TARGET_FPS frames fit.
    const next = scaleAtLeast(state.scale * Math.sqrt(ratio));
    return { scale: Math.max(next, state.scale), roomyWindows: 0 };
  }
  const larger = [...SCALES].reverse().find((s) => s < state.scale - 1e-9);
  if (larger === undefined) return { scale: state.scale, roomyWindows: 0 };
  const predicted = ratio * (state.scale / larger) ** 2;
  if (predicted >= GROW_BELOW || struggling(w)) return { scale: state.scale, roomyWindows: 0 };
  const roomy = state.roomyWindows + 1;
  return roomy >= ROOMY_WINDOWS_TO_GROW ? { scale: larger, roomyWindows: 0 } : { scale: state.scale, roomyWindows: roomy };
}
