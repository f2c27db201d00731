/**
 * Resolution that follows what the link and the host's CPU can carry while the screen is busy, and returns to full
 * resolution as soon as the screen settles. Pure functions over `getStats()` samples; `link-adapter.ts` runs them.
 *
 * Why: for screen content (contentHint 'detail') Chromium's encoders keep every pixel and drop frames instead — they
 * report no quality limitation, so `degradationPreference` changes nothing. Under a 4 Mbit/s cap with loss a busy
 * 1280×800 screen then left as 12–16 fps of 18–40 KiB frames with freezes of 300 ms, while the naive VP8 baseline
 * (whose encoder may scale) kept ~29 fps at 1100×688 (README, constrained network). Text on a still screen stays sharp:
 * once the screen is calm again (it encodes far faster per pixel than the busy one did) the full size comes back.
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
  /** The sender's own frame-rate cap (the viewer's "Low bandwidth" choice sets 15), if any. */
  maxFps?: number;
}

export interface AdaptationState {
  /** scaleResolutionDownBy in force. */
  scale: number;
  /** Consecutive windows in which the screen was calm enough to go back to a larger size. */
  calmWindows: number;
  /**
   * Encode time per frame, scaled to full size, of the busy screen that made the sender go smaller. The bits a frame
   * takes say nothing once the screen is still (the encoder spends its whole target refining a still picture), but
   * the encode time does: a still screen encodes several times faster per pixel than the busy one did.
   */
  busyEncodeMs?: number;
  /** Windows left before the scale may change again (each change costs a keyframe; the next windows measure it). */
  holdWindows?: number;
  /**
   * Set by a step up: the encode time per frame, scaled to full size, of the calm screen that allowed it, and the
   * windows left in which it counts. After a step up the encoder spends its whole target refining the larger picture,
   * so for a few seconds the bits a frame takes look like a busy screen's; only encode time well above the calm
   * screen's says the screen is busy again.
   */
  settling?: { calmEncodeMs: number; windows: number };
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
/** Calm windows in a row before a larger size is taken (a step up costs a keyframe). */
const CALM_WINDOWS_TO_GROW = 2;
/** Calm: encoding, per pixel, at most this share of what the busy screen cost. */
const CALM_SHARE = 0.6;
/** A larger size is taken only where encoding would stay under this share of the frame interval's budget. */
const GROW_BELOW = 0.7;
/**
 * Windows after a change in which the scale stays put. Without it, on a host whose load swung widely (load average
 * 40–70 on two cores), the scale went up and down every few seconds: every change is a keyframe, and the keyframes
 * alone took the frame rate to 2 fps and hid colour changes for over a second (README, constrained network).
 */
const HOLD_WINDOWS = 4;

/**
 * After a step up, the screen counts as busy again only where a frame encodes this many times slower than the calm
 * screen that allowed the step. Measured under the 4 Mbit/s cap with 3 % loss: on a loaded host (load average 15)
 * colour changes on a settled screen encoded in 7–22 ms a frame at full size against 39–63 ms for the busy screen,
 * yet their refinement traffic made the sender go smaller again a few seconds after each step up: two encoder
 * restarts, each showing a change 0.2–0.8 s late (README, constrained network). On a quiet host: 3–4 ms against 17.
 */
const BUSY_AGAIN = 2;
/**
 * Windows after the hold in which that holds: the refinement's length. Not for ever: the calm figure was measured
 * under one load, and a busy screen on a host that got quieter since would pass for calm.
 */
const SETTLE_WINDOWS = 6;

export const initialAdaptation = (): AdaptationState => ({ scale: 1, calmWindows: 0 });

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
  const fps = targetFps(w);
  const cpu = (w.encodeMsPerFrame * fps) / (1000 * ENCODE_SHARE);
  if (!w.availableBps) return cpu;
  // Lost packets are sent again: each loss costs its bytes twice.
  const link = (w.bitsPerFrame * fps * (1 + w.fractionLost)) / (w.availableBps * LINK_SHARE);
  return Math.max(cpu, link);
}

/** The frame rate to plan for: TARGET_FPS, or the sender's own lower cap. */
const targetFps = (w: LinkWindow) => Math.min(TARGET_FPS, w.maxFps ?? TARGET_FPS);

/** The encoder left captured frames unencoded and the screen shows clearly fewer than planned. */
function struggling(w: LinkWindow): boolean {
  const offered = Math.min(w.capturedFps ?? TARGET_FPS, w.maxFps ?? Infinity);
  return w.encodedFps < targetFps(w) * (STRUGGLING_FPS / TARGET_FPS) && w.encodedFps < offered * 0.8;
}

/** The smallest listed scale at or above `wanted` (the largest when none is). */
const scaleAtLeast = (wanted: number) => SCALES.find((s) => s >= wanted - 1e-9) ?? SCALES[SCALES.length - 1];

/** Encoding `TARGET_FPS` frames a second at scale `to`, as a share of the CPU budget, from a window at scale `from`. */
const cpuRatioAt = (w: LinkWindow, from: number, to: number) =>
  ((w.encodeMsPerFrame * targetFps(w)) / (1000 * ENCODE_SHARE)) * (from / to) ** 2;

/**
 * The next state after one window: down at once to the size where TARGET_FPS frames fit; back up to the largest
 * size the CPU allows once the screen has been calm for CALM_WINDOWS_TO_GROW windows; and after a step up, down
 * again only for a screen that is busy again, not for the refinement of the larger picture (BUSY_AGAIN).
 */
export function adapt(state: AdaptationState, w: LinkWindow): AdaptationState {
  if (state.holdWindows) return { ...state, calmWindows: 0, holdWindows: state.holdWindows - 1 };
  const ratio = costRatio(w);
  const fullSizeEncodeMs = w.encodeMsPerFrame * state.scale ** 2;
  const settling = state.settling && (state.settling.windows > 1 ? { ...state.settling, windows: state.settling.windows - 1 } : undefined);
  const settled = state.settling !== undefined && fullSizeEncodeMs <= BUSY_AGAIN * state.settling.calmEncodeMs;
  if (!settled && struggling(w) && ratio > 1) {
    // Pixels scale with the square of the factor; aim where TARGET_FPS frames fit.
    const next = Math.max(scaleAtLeast(state.scale * Math.sqrt(ratio)), state.scale);
    const busyEncodeMs = Math.max(state.busyEncodeMs ?? 0, fullSizeEncodeMs);
    return next === state.scale
      ? { scale: state.scale, calmWindows: 0, busyEncodeMs }
      : { scale: next, calmWindows: 0, busyEncodeMs, holdWindows: HOLD_WINDOWS };
  }
  if (state.scale === 1) return { scale: 1, calmWindows: 0, ...(settling && { settling }) };
  const calm = !struggling(w) && state.busyEncodeMs !== undefined && fullSizeEncodeMs <= CALM_SHARE * state.busyEncodeMs;
  if (!calm) return { ...state, calmWindows: 0, settling };
  if (state.calmWindows + 1 < CALM_WINDOWS_TO_GROW) return { ...state, calmWindows: state.calmWindows + 1, settling };
  const larger = SCALES.find((s) => s < state.scale && cpuRatioAt(w, state.scale, s) < GROW_BELOW);
  if (larger === undefined) return { ...state, calmWindows: 0, settling };
  return {
    scale: larger,
    calmWindows: 0,
    busyEncodeMs: larger === 1 ? undefined : state.busyEncodeMs,
    holdWindows: HOLD_WINDOWS,
    settling: { calmEncodeMs: fullSizeEncodeMs, windows: SETTLE_WINDOWS },
  };
}
