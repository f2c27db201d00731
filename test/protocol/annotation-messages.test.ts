import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_FREEHAND_POINTS, MAX_LABEL_CHARS, viewerAnnotationSchema } from '../../protocol/annotation-messages';

const ok = (m: unknown) => viewerAnnotationSchema.safeParse(m).success;
const mark = (shape: unknown, extra: Record<string, unknown> = {}) => ({ t: 'mark', id: 1, shape, color: 'red', pinned: false, ...extra });

describe('annotation messages', () => {
  it('accepts each tool with normalised coordinates', () => {
    expect(ok({ t: 'laser', x: 0, y: 1, color: 'blue' })).toBe(true);
    expect(ok({ t: 'laser.off' })).toBe(true);
    expect(ok({ t: 'clear' })).toBe(true);
    expect(ok(mark({ kind: 'arrow', from: { x: 0.1, y: 0.2 }, to: { x: 0.9, y: 0.8 } }))).toBe(true);
    expect(ok(mark({ kind: 'rect', from: { x: 0, y: 0 }, to: { x: 1, y: 1 } }, { pinned: true }))).toBe(true);
    expect(
      ok(
        mark({
          kind: 'freehand',
          points: [
            { x: 0, y: 0 },
            { x: 0.5, y: 0.5 },
          ],
        }),
      ),
    ).toBe(true);
    expect(ok(mark({ kind: 'text', at: { x: 0.5, y: 0.5 }, text: 'Click here' }))).toBe(true);
  });

  it('refuses coordinates outside 0..1, NaN-like values and unknown colours or fields', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 1.0000001, noNaN: true }), fc.double({ max: -0.0000001, noNaN: true })), (bad) => {
        expect(ok({ t: 'laser', x: bad, y: 0.5, color: 'red' })).toBe(false);
        expect(ok(mark({ kind: 'arrow', from: { x: 0, y: bad }, to: { x: 0, y: 0 } }))).toBe(false);
      }),
    );
    expect(ok({ t: 'laser', x: '0.5', y: 0.5, color: 'red' })).toBe(false);
    expect(ok({ t: 'laser', x: 0.5, y: 0.5, color: '#ff00ff' })).toBe(false);
    expect(ok({ t: 'laser', x: 0.5, y: 0.5, color: 'red', extra: 1 })).toBe(false);
    expect(ok({ t: 'inject', x: 0.5 })).toBe(false);
  });

  it('caps freehand points and label length, and refuses markup or hidden characters in a label', () => {
    const points = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i / n, y: 0.5 }));
    expect(ok(mark({ kind: 'freehand', points: points(MAX_FREEHAND_POINTS) }))).toBe(true);
    expect(ok(mark({ kind: 'freehand', points: points(MAX_FREEHAND_POINTS + 1) }))).toBe(false);
    const text = (t: string) => ok(mark({ kind: 'text', at: { x: 0, y: 0 }, text: t }));
    expect(text('x'.repeat(MAX_LABEL_CHARS))).toBe(true);
    expect(text('x'.repeat(MAX_LABEL_CHARS + 1))).toBe(false);
    expect(text('<img src=x onerror=alert(1)>')).toBe(false);
    expect(text('a > b')).toBe(false);
    expect(text('pay\u202Eexe.pdf')).toBe(false);
    expect(text('   ')).toBe(false);
  });
});
