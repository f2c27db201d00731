/** How far (CSS pixels) past the shown frame a pointer may be and still count as on its edge (fractional layout). */
const EDGE_SLACK_PX = 1;

/**
 * Client coordinates over the video → position normalized to the shared surface.
 * In fit mode the frame is letterboxed inside the element (object-fit: contain);
 * in 1:1 mode the element is the frame's own size and scrolls, and its bounding
 * rect already includes the scroll offset. Points on the letterbox map to nothing,
 * unless `clamp` asks for the nearest edge (a release must reach the host wherever it happens).
 *
 * The first and last pixel shown map to 0 and 1 (the host's first and last pixel): a pointer never gets past the
 * last pixel it can hover, so measuring against the full width would leave the host's last row and column
 * unreachable whenever the frame is shown smaller than it is.
 */
export function normalizePoint(
  clientX: number,
  clientY: number,
  box: { left: number; top: number; width: number; height: number },
  frame: { width: number; height: number },
  clamp = false,
): { x: number; y: number } | undefined {
  if (!frame.width || !frame.height || !box.width || !box.height) return undefined;
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const w = frame.width * scale;
  const h = frame.height * scale;
  const px = clientX - box.left - (box.width - w) / 2;
  const py = clientY - box.top - (box.height - h) / 2;
  const outside = (p: number, size: number) => p < -EDGE_SLACK_PX || p > size + EDGE_SLACK_PX;
  if (!clamp && (outside(px, w) || outside(py, h))) return undefined;
  const unit = (p: number, size: number) => Math.min(1, Math.max(0, p / Math.max(1, size - 1)));
  return { x: unit(px, w), y: unit(py, h) };
}
