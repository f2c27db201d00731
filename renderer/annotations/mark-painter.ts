import { COLOR_HEX, type Shape } from '../../protocol/annotation-messages';
import { type Box, place } from './letterbox';
import type { MarkBoard } from './mark-board';

type Ctx = CanvasRenderingContext2D;

/** Line width and label size follow the picture's size, so a mark reads the same on a small preview and a big screen. */
const strokeFor = (rect: Box) => Math.max(3, Math.min(rect.width, rect.height) / 160);

/**
 * Paints the board into `rect` (canvas pixels, the picture's own rectangle inside any letterbox) as shapes: lines,
 * rectangles, paths, and labels through `fillText` — text from the other side is never parsed as markup.
 */
export function paintBoard(ctx: Ctx, rect: Box, board: MarkBoard, now: number): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (!rect.width || !rect.height) return;
  ctx.save();
  // Nothing outside the picture: a mark near the edge must not spill onto the letterbox or the page around it.
  ctx.beginPath();
  ctx.rect(rect.left, rect.top, rect.width, rect.height);
  ctx.clip();
  for (const { mark, alpha } of board.visible(now)) {
    ctx.globalAlpha = alpha;
    paintShape(ctx, rect, mark.shape, COLOR_HEX[mark.color]);
  }
  const laser = board.laserAt(now);
  if (laser) {
    ctx.globalAlpha = 1;
    const p = place(rect, laser);
    const r = Math.max(6, Math.min(rect.width, rect.height) / 70);
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fillStyle = COLOR_HEX[laser.color];
    ctx.fill();
    ctx.lineWidth = Math.max(1.5, r / 4);
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
  ctx.restore();
}

export function paintShape(ctx: Ctx, rect: Box, shape: Shape, color: string): void {
  const width = strokeFor(rect);
  ctx.lineWidth = width;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  switch (shape.kind) {
    case 'rect': {
      const a = place(rect, shape.from);
      const b = place(rect, shape.to);
      ctx.strokeRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
      return;
    }
    case 'arrow':
      return paintArrow(ctx, place(rect, shape.from), place(rect, shape.to), width);
    case 'freehand': {
      ctx.beginPath();
      shape.points.forEach((point, i) => {
        const p = place(rect, point);
        if (i === 0) ctx.moveTo(p.x, p.y);
        else ctx.lineTo(p.x, p.y);
      });
      ctx.stroke();
      return;
    }
    case 'text': {
      const p = place(rect, shape.at);
      const size = Math.round(Math.max(14, rect.height / 28));
      ctx.font = `bold ${size}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      // A dark outline keeps the label readable on any background.
      ctx.lineWidth = Math.max(2, size / 6);
      ctx.strokeStyle = 'rgba(0,0,0,0.85)';
      ctx.strokeText(shape.text, p.x, p.y);
      ctx.fillText(shape.text, p.x, p.y);
    }
  }
}

function paintArrow(ctx: Ctx, from: { x: number; y: number }, to: { x: number; y: number }, width: number): void {
  const angle = Math.atan2(to.y - from.y, to.x - from.x);
  const head = width * 4;
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - head * Math.cos(angle - Math.PI / 7), to.y - head * Math.sin(angle - Math.PI / 7));
  ctx.lineTo(to.x - head * Math.cos(angle + Math.PI / 7), to.y - head * Math.sin(angle + Math.PI / 7));
  ctx.closePath();
  ctx.fill();
}
