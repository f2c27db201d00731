import { describe, expect, it } from 'vitest';
import { coveredFraction } from '../../../../main/services/overlay/covered';

const win = { x: 100, y: 100, width: 200, height: 100 };

describe('coveredFraction', () => {
  it('is 0 with nothing above, 1 under a larger window', () => {
    expect(coveredFraction(win, [])).toBe(0);
    expect(coveredFraction(win, [{ x: 0, y: 0, width: 1000, height: 1000 }])).toBe(1);
  });

  it('counts only the part over the window, and overlaps once', () => {
    expect(coveredFraction(win, [{ x: 200, y: 0, width: 500, height: 500 }])).toBe(0.5);
    expect(
      coveredFraction(win, [
        { x: 100, y: 100, width: 100, height: 100 },
        { x: 150, y: 100, width: 100, height: 100 },
      ]),
    ).toBe(0.75);
    expect(coveredFraction(win, [{ x: 400, y: 400, width: 50, height: 50 }])).toBe(0);
  });

  it('a window with no area counts as not seen', () => {
    expect(coveredFraction({ ...win, width: 0 }, [])).toBe(1);
  });
});
