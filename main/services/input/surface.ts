/** A rectangle in the host's desktop coordinates (robotjs pixels). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is being shared, as InputService needs it to map and confine input. */
export type SharedSurface =
  | { kind: 'screen'; sourceId: string; bounds: Rect; scaleFactor: number }
  | { kind: 'window'; sourceId: string; windowId: string; scaleFactor: number };

export const contains = (r: Rect, x: number, y: number) => x >= r.x && y >= r.y && x < r.x + r.width && y < r.y + r.height;

/**
 * Normalized (0..1) position on the shared surface → desktop pixel. Bounds are in logical units (Electron's DIPs);
 * robotjs wants physical pixels, hence the scale. The surface's physical pixels are counted first, in whole
 * numbers, so the far edge (1) maps to the last pixel, never one past it, whatever the scale factor (computing
 * `(x + width - 1/scale) * scale` in floating point lands one pixel short at 1.75).
 */
export function toDesktopPixel(bounds: Rect, scaleFactor: number, nx: number, ny: number): { x: number; y: number } {
  const axis = (origin: number, size: number, n: number) => {
    const pixels = Math.max(1, Math.round(size * scaleFactor));
    return Math.round(origin * scaleFactor) + Math.min(pixels - 1, Math.floor(n * pixels));
  };
  return { x: axis(bounds.x, bounds.width, nx), y: axis(bounds.y, bounds.height, ny) };
}
