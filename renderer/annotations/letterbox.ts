export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a frame of `frame` size is shown inside `box` with `object-fit: contain`: centred, scaled to fit, the rest
 * letterbox. Marks are placed against this rectangle, never the element's, so they sit on the picture.
 */
export function contentRect(box: Box, frame: { width: number; height: number }): Box {
  if (!frame.width || !frame.height || !box.width || !box.height) return { left: box.left, top: box.top, width: 0, height: 0 };
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const width = frame.width * scale;
  const height = frame.height * scale;
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
}

/** A normalised point (0..1) → a position in the same units as `rect` (the first and last pixel are 0 and 1). */
export function place(rect: Box, p: { x: number; y: number }): { x: number; y: number } {
  return { x: rect.left + p.x * Math.max(0, rect.width - 1), y: rect.top + p.y * Math.max(0, rect.height - 1) };
}
