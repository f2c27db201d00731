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
 * Normalized (0..1) position on the shared surface → desktop pixel. Bounds are in
 * logical units (Electron's DIPs); robotjs wants physical pixels, hence the scale.
 * The far edge maps to the last pixel, never one past it.
 */
export function toDesktopPixel(bounds: Rect, scaleFactor: number, nx: number, ny: number): { x: number; y: number } {
  const x = Math.min(bounds.x + nx * bounds.width, bounds.x + bounds.width - 1 / scaleFactor);
  const y = Math.min(bounds.y + ny * bounds.height, bounds.y + bounds.height - 1 / scaleFactor);
  return { x: Math.floor(x * scaleFactor), y: Math.floor(y * scaleFactor) };
}
