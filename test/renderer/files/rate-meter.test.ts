import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from '../../../renderer/files/chunk-frame';
import { RateMeter } from '../../../renderer/files/rate-meter';

describe('transfer rate', () => {
  it('the last live figure is the final average, however unevenly the bytes came', () => {
    let now = 0;
    const meter = new RateMeter(() => now);
    const MiB = 1024 * 1024;
    // A fast start (the sender's buffer filling), then a slow tail: 6 MiB in 2 s.
    const steps: Array<[ms: number, bytes: number]> = [
      [250, 2 * MiB],
      [250, 2 * MiB],
      [750, 1 * MiB],
      [750, 1 * MiB],
    ];
    let bytes = 0;
    let live = 0;
    for (const [ms, b] of steps) {
      now += ms;
      bytes += b;
      live = meter.rate(bytes);
    }
    const average = (6 * MiB) / 2;
    expect(live).toBeCloseTo(average, 6);
    expect(meter.rate(6 * MiB)).toBeCloseTo(average, 6);
  });

  it('says nothing before there is a span to divide by', () => {
    let now = 0;
    const meter = new RateMeter(() => now);
    now += 10;
    expect(meter.rate(16 * 1024)).toBe(0);
  });

  it('a chunk frame carries its transfer number and data; anything shorter than the header is not one', () => {
    const frame = encodeChunk(0xdeadbeef, new Uint8Array([1, 2, 3]));
    expect(decodeChunk(frame.buffer)).toEqual({ n: 0xdeadbeef, bytes: new Uint8Array([1, 2, 3]) });
    expect(decodeChunk(new ArrayBuffer(3))).toBeUndefined();
    expect(decodeChunk('text')).toBeUndefined();
  });
});
