import { h } from '../ui/dom';
import { type Box, contentRect } from './letterbox';
import type { MarkBoard } from './mark-board';
import { paintBoard } from './mark-painter';

/** Extra drawing on top of the board (the viewer's shape in progress); returns whether it wants another frame. */
export type Overlay = (ctx: CanvasRenderingContext2D, rect: Box) => boolean;

/**
 * A canvas laid exactly over a video element (same offset and size, device pixels), painting a MarkBoard against
 * the picture's own rectangle inside the element's letterbox. Paints on the next animation frame after a change
 * and keeps painting only while something fades or moves.
 */
export class MarkCanvas {
  readonly canvas = h('canvas', { class: 'mark-canvas', 'aria-hidden': 'true' });
  overlay?: Overlay;
  private frame = 0;
  private wake?: ReturnType<typeof setTimeout>;
  private readonly resize = new ResizeObserver(() => this.redraw());

  constructor(
    private readonly video: HTMLVideoElement,
    readonly board: MarkBoard,
  ) {
    video.after(this.canvas);
    this.resize.observe(video);
    // The frame size changes with a source switch or a quality change; the letterbox with it.
    video.addEventListener('resize', () => this.redraw());
  }

  /** The picture's rectangle in CSS pixels relative to the canvas (what pointer positions are measured against). */
  pictureRect(): Box {
    return contentRect(
      { left: 0, top: 0, width: this.video.clientWidth, height: this.video.clientHeight },
      { width: this.video.videoWidth, height: this.video.videoHeight },
    );
  }

  redraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.wake);
    this.resize.disconnect();
    this.canvas.remove();
  }

  private paint(): void {
    const v = this.video;
    const dpr = devicePixelRatio || 1;
    const s = this.canvas.style;
    s.left = `${v.offsetLeft}px`;
    s.top = `${v.offsetTop}px`;
    s.width = `${v.clientWidth}px`;
    s.height = `${v.clientHeight}px`;
    const w = Math.round(v.clientWidth * dpr);
    const hgt = Math.round(v.clientHeight * dpr);
    if (this.canvas.width !== w || this.canvas.height !== hgt) Object.assign(this.canvas, { width: w, height: hgt });
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const css = this.pictureRect();
    const rect = { left: css.left * dpr, top: css.top * dpr, width: css.width * dpr, height: css.height * dpr };
    const now = performance.now();
    paintBoard(ctx, rect, this.board, now);
    const more = this.overlay?.(ctx, rect) ?? false;
    const next = this.board.nextChange(now);
    clearTimeout(this.wake);
    if (more || next === now) this.redraw();
    else if (next !== undefined) this.wake = setTimeout(() => this.redraw(), next - now);
  }
}
