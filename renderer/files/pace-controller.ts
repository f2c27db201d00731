/**
 * The default sending setting's rate, following the video's own frame rate (no DOM, no network: fed numbers).
 *
 * On a machine whose cores the video encoder or decoder shares with the transfer (the SCTP thread, each UDP packet's
 * trip through the network service), every byte sent costs frames; how many depends on the machine and on whatever
 * else runs, so no fixed rate is right everywhere. This controller takes what the video leaves: additive-increase /
 * multiplicative-decrease on the frame rate the sending page sees (video-pace.ts samples it), against the rate the
 * video had without the transfer.
 *
 * - grows while the frame rate holds near the reference (the no-transfer level), never past twice what actually left
 *   (a rate the channel cannot reach would make the next cut take no effect);
 * - cuts when the frame rate drops, from what actually left, and waits for fresh samples before judging again;
 * - stays within floor and ceiling;
 * - a frame rate still short of the reference at the floor is not the transfer's doing (the screen went still, or
 *   other work took the cores): the reference follows it down, so the transfer is not held at the floor forever;
 * - a clearly higher frame rate raises the reference (the video may have had less to do when the transfer started);
 * - when the video has next to no frames to protect (a still screen), it grows;
 * - when no frame rate comes (no video, stats failing) for a few samples, it falls back to a fixed rate.
 */
export interface PaceControl {
  /** Bytes per second the transfer starts at. */
  start: number;
  floor: number;
  ceiling: number;
  /** The rate without stats to follow. */
  fallback: number;
  /** Cut when the frame rate falls below this share of the reference… */
  cutBelow: number;
  /** …grow when it is at least this share (between them: hold). */
  growAbove: number;
  /** A cut multiplies the rate by this. */
  cutFactor: number;
  /** Growth per sample: rate × growFactor + growStep. */
  growFactor: number;
  growStep: number;
  /** Below this reference frame rate the video is (nearly) still: nothing to protect. */
  stillFps: number;
  /** Samples without a frame rate before the fallback rate applies. */
  missingSamples: number;
  /** At the floor with the frame rate short of growing, the reference moves this share of the way to it per sample. */
  referenceDecay: number;
}

export interface PaceSample {
  /** Video frames per second since the last sample; undefined when the stats gave none. */
  fps?: number;
  /** Bytes per second that left this side's queue since the last sample. */
  sentRate?: number;
}

/**
 * Each judgement takes the median of this many frame-rate samples (the sampler's period × this is the window): on a
 * loaded machine one 400 ms sample reads 5 fps between two of 20 (bench run of 2026-12-07 12:40, load 20), and an
 * average of two cut on every such dip. A drop must hold for most of the window to count.
 */
const WINDOW = 3;

export class PaceController {
  private current: number;
  private reference: number | undefined;
  private recent: number[] = [];
  private missing = 0;

  constructor(
    private readonly control: PaceControl,
    /** The frame rate before the transfer started, when known. */
    reference?: number,
  ) {
    this.current = clamp(control.start, control.floor, control.ceiling);
    this.reference = reference !== undefined && reference > 0 ? reference : undefined;
  }

  get rate(): number {
    return this.current;
  }

  /** The frame rate judged against (undefined until a sample or the start gave one). */
  get referenceFps(): number | undefined {
    return this.reference;
  }

  update(sample: PaceSample): number {
    const c = this.control;
    if (sample.fps === undefined || !Number.isFinite(sample.fps)) {
      if (++this.missing >= c.missingSamples) this.current = c.fallback;
      return this.current;
    }
    this.missing = 0;
    this.recent = [...this.recent, sample.fps].slice(-WINDOW);
    if (this.recent.length < WINDOW) return this.current;
    const fps = [...this.recent].sort((a, b) => a - b)[WINDOW >> 1]!;
    // Only a clearly higher frame rate raises the reference, halfway: a window that is lucky by a frame or two would
    // otherwise ratchet the bar up until ordinary windows read as drops.
    const clearlyHigher = this.reference !== undefined && fps * c.cutBelow > this.reference;
    const reference = this.reference === undefined ? fps : clearlyHigher ? (this.reference + fps) / 2 : this.reference;
    this.reference = reference;
    if (reference < c.stillFps || fps >= c.growAbove * reference) this.grow(sample.sentRate);
    else if (this.current <= c.floor) this.reference = reference - (reference - fps) * c.referenceDecay;
    else if (fps < c.cutBelow * reference) this.cut(sample.sentRate);
    return this.current;
  }

  private grow(sentRate: number | undefined): void {
    const c = this.control;
    let next = this.current * c.growFactor + c.growStep;
    if (sentRate !== undefined) next = Math.min(next, Math.max(this.current, 2 * sentRate));
    this.current = clamp(next, c.floor, c.ceiling);
  }

  private cut(sentRate: number | undefined): void {
    const c = this.control;
    const from = sentRate !== undefined ? Math.min(this.current, sentRate) : this.current;
    this.current = clamp(from * c.cutFactor, c.floor, c.ceiling);
    // The samples before the cut say nothing about the new rate.
    this.recent = [];
  }
}

/** Whole bytes per second, within the bounds. */
const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));
