import type { Rect } from '../input/surface';

/**
 * How much of the shared window the person no longer sees, from 0 to 1 — its area under windows stacked above it
 * (overlaps counted once). Marks are drawn on top of everything, so over a covered window they would land on
 * whatever covers it; a tooltip or a small notification over a corner does not count for much.
 */
export function coveredFraction(target: Rect, above: Rect[]): number {
  const area = target.width * target.height;
  if (area <= 0) return 1;
  const clipped = above
    .map((r) => ({
      x0: Math.max(r.x, target.x),
      y0: Math.max(r.y, target.y),
      x1: Math.min(r.x + r.width, target.x + target.width),
      y1: Math.min(r.y + r.height, target.y + target.height),
    }))
    .filter((r) => r.x0 < r.x1 && r.y0 < r.y1);
  // The union's area on the grid of the rectangles' own edges: a few windows, so a few hundred cells at most.
  const xs = [...new Set(clipped.flatMap((r) => [r.x0, r.x1]))].sort((a, b) => a - b);
  const ys = [...new Set(clipped.flatMap((r) => [r.y0, r.y1]))].sort((a, b) => a - b);
  let covered = 0;
  for (let i = 0; i + 1 < xs.length; i++)
    for (let j = 0; j + 1 < ys.length; j++) {
      const [cx, cy] = [(xs[i]! + xs[i + 1]!) / 2, (ys[j]! + ys[j + 1]!) / 2];
      if (clipped.some((r) => r.x0 <= cx && cx < r.x1 && r.y0 <= cy && cy < r.y1)) covered += (xs[i + 1]! - xs[i]!) * (ys[j + 1]! - ys[j]!);
    }
  return covered / area;
}
