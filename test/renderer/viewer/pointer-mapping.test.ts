import { describe, expect, it } from 'vitest';
import { toDesktopPixel } from '../../../main/services/input/surface';
import { normalizePoint } from '../../../renderer/viewer/pointer-mapping';

/** Viewer client point → the host pixel it reaches, on a screen at the origin with scale 1. */
function hostPixel(
  client: [number, number],
  box: { left: number; top: number; width: number; height: number },
  frame: { width: number; height: number },
) {
  const p = normalizePoint(client[0], client[1], box, frame);
  return p && toDesktopPixel({ x: 0, y: 0, ...frame }, 1, p.x, p.y);
}

describe('viewer pointer → normalized surface position', () => {
  const frame = { width: 1280, height: 800 };
  it('fit mode: letterboxed left and right', () => {
    // A 1000×500 box shows the 1.6:1 frame as 800×500, centred with 100 px bars.
    const box = { left: 0, top: 0, width: 1000, height: 500 };
    expect(normalizePoint(100, 0, box, frame)).toEqual({ x: 0, y: 0 });
    expect(hostPixel([500, 250], box, frame)).toEqual({ x: 640, y: 400 });
    expect(normalizePoint(50, 250, box, frame)).toBeUndefined(); // on the bar
  });

  it('fit mode: letterboxed top and bottom, with the element offset on the page', () => {
    const box = { left: 20, top: 100, width: 640, height: 800 };
    // Shown at half size, one pixel shown covers two on the host: (320, 200) of the frame covers 640–641, 400–401.
    expect(hostPixel([20 + 320, 100 + 200 + 200], box, frame)).toEqual({ x: 641, y: 401 });
    expect(normalizePoint(20 + 640, 100 + 200 + 400, box, frame)).toEqual({ x: 1, y: 1 });
    expect(normalizePoint(30, 110, box, frame)).toBeUndefined();
  });

  it('1:1 mode: the element is the frame’s size and its rect already includes the scroll offset', () => {
    const scrolled = { left: -300, top: -200, width: 1280, height: 800 };
    expect(hostPixel([340, 200], scrolled, frame)).toEqual({ x: 640, y: 400 });
  });

  it('1:1 mode: every pixel shown is the same pixel on the host, the last row and column included', () => {
    const box = { left: 0, top: 0, width: 1280, height: 800 };
    for (let k = 0; k < 1280; k++) expect(hostPixel([k, Math.min(k, 799)], box, frame)).toEqual({ x: k, y: Math.min(k, 799) });
  });

  it('a frame shown smaller than it is: the last pixel shown reaches the host’s last row and column', () => {
    const big = { width: 1920, height: 1080 };
    const box = { left: 0, top: 0, width: 960, height: 540 };
    // The pointer's last position over a 960×540 element is (959, 539).
    expect(hostPixel([959, 539], box, big)).toEqual({ x: 1919, y: 1079 });
    expect(hostPixel([0, 0], box, big)).toEqual({ x: 0, y: 0 });
  });

  it('a fractional layout: a pointer on the element’s last sub-pixel still counts as the edge', () => {
    const box = { left: 10.4, top: 5.3, width: 1000.3, height: 625.2 };
    expect(normalizePoint(10.4 + 1000.3 + 0.4, 5.3 + 625.2 + 0.4, box, { width: 1600, height: 1000 })).toEqual({ x: 1, y: 1 });
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

  it('the far edge is the last physical pixel at every scale factor (no floating-point shortfall)', () => {
    // At 1.75, (132 − 1/1.75) × 1.75 is 229.99999999999997 in floating point: one pixel short of the last one.
    expect(toDesktopPixel({ x: 0, y: 0, width: 132, height: 132 }, 1.75, 1, 1)).toEqual({ x: 230, y: 230 });
    for (const scale of [1, 1.25, 1.5, 1.75, 2, 2.5, 3])
      for (let width = 100; width <= 3000; width += 4) {
        const last = Math.round(width * scale) - 1;
        expect(toDesktopPixel({ x: 0, y: 0, width, height: width }, scale, 1, 1)).toEqual({ x: last, y: last });
      }
  });
});
