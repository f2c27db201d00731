import { describe, expect, it } from 'vitest';
import { toDesktopPixel } from '../../../main/services/input/surface';
import { normalizePoint } from '../../../renderer/viewer/pointer-mapping';

describe('viewer pointer → normalized surface position', () => {
  const frame = { width: 1280, height: 800 };
  it('fit mode: letterboxed left and right', () => {
    // A 1000×500 box shows the 1.6:1 frame as 800×500, centred with 100 px bars.
    const box = { left: 0, top: 0, width: 1000, height: 500 };
    expect(normalizePoint(100, 0, box, frame)).toEqual({ x: 0, y: 0 });
    expect(normalizePoint(500, 250, box, frame)).toEqual({ x: 0.5, y: 0.5 });
    expect(normalizePoint(50, 250, box, frame)).toBeUndefined(); // on the bar
  });

  it('fit mode: letterboxed top and bottom, with the element offset on the page', () => {
    const box = { left: 20, top: 100, width: 640, height: 800 };
    expect(normalizePoint(20 + 320, 100 + 400, box, frame)).toEqual({ x: 0.5, y: 0.5 });
    expect(normalizePoint(20 + 640, 100 + 200 + 400, box, frame)).toEqual({ x: 1, y: 1 });
    expect(normalizePoint(30, 110, box, frame)).toBeUndefined();
  });

  it('1:1 mode: the element is the frame’s size and its rect already includes the scroll offset', () => {
    const scrolled = { left: -300, top: -200, width: 1280, height: 800 };
    expect(normalizePoint(340, 200, scrolled, frame)).toEqual({ x: 0.5, y: 0.5 });
  });

  it('no frame yet → no point', () => {
    expect(normalizePoint(1, 1, { left: 0, top: 0, width: 10, height: 10 }, { width: 0, height: 0 })).toBeUndefined();
  });
});

describe('normalized position → host pixel', () => {
  it('maps into a display at an origin in a multi-monitor layout, with its scale factor', () => {
    expect(toDesktopPixel({ x: 1920, y: 0, width: 1280, height: 720 }, 2, 0.5, 0.5)).toEqual({ x: 5120, y: 720 });
    expect(toDesktopPixel({ x: -1280, y: 0, width: 1280, height: 800 }, 1, 0, 0)).toEqual({ x: -1280, y: 0 });
  });

  it('never maps past the last pixel', () => {
    expect(toDesktopPixel({ x: 0, y: 0, width: 1280, height: 800 }, 1, 1, 1)).toEqual({ x: 1279, y: 799 });
  });
});
