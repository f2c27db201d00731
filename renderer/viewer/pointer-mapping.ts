/**
 * Client coordinates over the video → position normalized to the shared surface.
 * In fit mode the frame is letterboxed inside the element (object-fit: contain);
 * in 1:1 mode the element is the frame's own size and scrolls, and its bounding
 * rect already includes the scroll offset. Points on the letterbox map to nothing,
 * unless `clamp` asks for the nearest edge (a release must reach the host wherever it happens).
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
  const x = (clientX - box.left - (box.width - w) / 2) / w;
  const y = (clientY - box.top - (box.height - h) / 2) / h;
  if (clamp) return { x: Math.min(1, Math.max(0, x)), y: Math.min(1, Math.max(0, y)) };
  if (x < 0 || y < 0 || x > 1 || y > 1) return undefined;
  return { x: Math.min(x, 1), y: Math.min(y, 1) };
}
