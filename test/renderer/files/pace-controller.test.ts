import { describe, expect, it } from 'vitest';
import { PaceController, type PaceControl } from '../../../renderer/files/pace-controller';
import { TRANSFER_PACES } from '../../../renderer/files/transfer-pace';

/** Round numbers, so each expected rate can be worked out by hand. */
const CONTROL: PaceControl = {
  start: 1000,
  floor: 200,
  ceiling: 5000,
  fallback: 1500,
  cutBelow: 0.85,
  growAbove: 0.95,
  cutFactor: 0.5,
  growFactor: 1.1,
  growStep: 100,
  stillFps: 5,
  missingSamples: 3,
  referenceDecay: 0.5,
};

/** Feeds samples in order; the rate after each. */
const feed = (c: PaceController, samples: { fps?: number; sentRate?: number }[]) => samples.map((s) => c.update(s));

describe('pace controller (the default setting follows the video)', () => {
  it('grows while the frame rate holds at the level it had before the transfer', () => {
    const c = new PaceController(CONTROL, 20);
    // The first two samples only fill the window; then 1000 → 1200 → 1420.
    expect(feed(c, [{ fps: 20 }, { fps: 20 }, { fps: 19.5 }, { fps: 20 }])).toEqual([1000, 1000, 1200, 1420]);
  });

  it('cuts when the frame rate drops, by cutFactor from the lower of the rate and what left, then waits for fresh samples', () => {
    const c = new PaceController(CONTROL, 20);
    feed(c, [{ fps: 20 }, { fps: 20 }, { fps: 20 }]); // 1200
    expect(c.update({ fps: 12, sentRate: 800 })).toBe(1420); // median of 20, 20, 12: one dip is not a drop
    expect(c.update({ fps: 12, sentRate: 800 })).toBe(400); // median 12 < 17: 800 × 0.5
    // The samples before the cut are dropped: new ones decide nothing until the window is full again, even bad ones.
    expect(
      feed(c, [
        { fps: 5, sentRate: 400 },
        { fps: 5, sentRate: 400 },
      ]),
    ).toEqual([400, 400]);
    expect(c.update({ fps: 5, sentRate: 400 })).toBe(200);
  });

  it('one bad sample in the window is noise, not a drop (the median)', () => {
    const c = new PaceController(CONTROL, 20);
    expect(feed(c, [{ fps: 20 }, { fps: 4 }, { fps: 20 }, { fps: 21 }])).toEqual([1000, 1000, 1200, 1420]);
  });

  it('holds between the cut and grow thresholds', () => {
    const c = new PaceController(CONTROL, 20);
    expect(feed(c, [{ fps: 18 }, { fps: 18 }, { fps: 18 }, { fps: 18 }])).toEqual([1000, 1000, 1000, 1000]); // 0.9 of 20
  });

  it('never grows past twice what actually left (a rate the channel cannot reach would make a cut take no effect)', () => {
    const c = new PaceController(CONTROL, 20);
    const steady = { fps: 20, sentRate: 550 };
    expect(feed(c, [steady, steady, steady, steady])).toEqual([1000, 1000, 1100, 1100]);
  });

  it('stays within floor and ceiling', () => {
    const up = new PaceController(CONTROL, 20);
    expect(
      feed(
        up,
        Array.from({ length: 40 }, () => ({ fps: 20 })),
      ).at(-1),
    ).toBe(CONTROL.ceiling);
    const down = new PaceController(CONTROL, 20);
    const rates = feed(
      down,
      Array.from({ length: 20 }, () => ({ fps: 2 })),
    );
    expect(Math.min(...rates)).toBe(CONTROL.floor);
    expect(new PaceController({ ...CONTROL, start: 1e9 }).rate).toBe(CONTROL.ceiling);
  });

  it('at the floor, a frame rate that stays low moves the reference down, so the transfer grows again', () => {
    const c = new PaceController({ ...CONTROL, start: CONTROL.floor }, 20);
    // The screen got quieter (or other work took the cores): 10 fps whatever the transfer does.
    const rates = feed(
      c,
      Array.from({ length: 12 }, () => ({ fps: 10 })),
    );
    expect(c.referenceFps).toBeLessThan(10 / CONTROL.growAbove + 0.01);
    expect(rates.at(-1)).toBeGreaterThan(CONTROL.floor);
  });

  it('a frame rate a few frames above the reference leaves it', () => {
    const c = new PaceController(CONTROL, 20);
    feed(c, [{ fps: 23 }, { fps: 23 }, { fps: 23 }, { fps: 23 }]);
    expect(c.referenceFps).toBe(20);
  });

  it('a clearly higher frame rate raises the reference halfway, and a drop from it then cuts', () => {
    const c = new PaceController(CONTROL, 10);
    feed(c, [{ fps: 30 }, { fps: 30 }, { fps: 30 }]);
    expect(c.referenceFps).toBe(20);
    feed(c, [{ fps: 30 }]);
    expect(c.referenceFps).toBe(25);
    feed(c, [{ fps: 10 }]); // one dip: still grows
    const before = c.rate;
    expect(c.update({ fps: 10 })).toBe(before * CONTROL.cutFactor); // median 10 < 0.85 × 25
  });

  it('with no reference given, the first full window sets it', () => {
    const c = new PaceController(CONTROL);
    feed(c, [{ fps: 24 }, { fps: 24 }, { fps: 24 }]);
    expect(c.referenceFps).toBe(24);
  });

  it('a still picture (next to no frames) has nothing to protect: it grows', () => {
    const c = new PaceController(CONTROL, 1);
    expect(feed(c, [{ fps: 1 }, { fps: 0 }, { fps: 1 }, { fps: 0 }])).toEqual([1000, 1000, 1200, 1420]);
  });

  it('falls back to the fixed rate when no frame rate comes for missingSamples samples, and follows again after', () => {
    const c = new PaceController(CONTROL, 20);
    expect(feed(c, [{}, {}, {}, {}])).toEqual([1000, 1000, 1500, 1500]);
    expect(c.update({ fps: Number.NaN })).toBe(1500);
    expect(feed(c, [{ fps: 20 }, { fps: 20 }, { fps: 20 }])).toEqual([1500, 1500, 1750]);
  });

  it("the default setting's numbers are sane: a floor above zero, fallback and start within the bounds", () => {
    const f = TRANSFER_PACES.smooth.follow!;
    expect(f.floor).toBeGreaterThan(0);
    expect(f.start).toBeGreaterThanOrEqual(f.floor);
    expect(f.fallback).toBeLessThanOrEqual(f.ceiling);
    expect(f.cutBelow).toBeLessThan(f.growAbove);
    expect(f.cutFactor).toBeLessThan(1);
  });
});
