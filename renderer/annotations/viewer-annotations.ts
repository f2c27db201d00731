import { TokenBucket } from '../../common/token-bucket';
import {
  ANNOTATION_BURST,
  ANNOTATION_MESSAGES_PER_SECOND,
  COLOR_HEX,
  MAX_FREEHAND_POINTS,
  type NormPoint,
  type Shape,
  type ViewerAnnotation,
} from '../../protocol/annotation-messages';
import { ViewerAnnotationChannel } from './annotation-channel';
import { AnnotationToolbar, type ToolbarState } from './annotation-toolbar';
import { MarkBoard } from './mark-board';
import { MarkCanvas } from './mark-canvas';
import { paintShape } from './mark-painter';

/** Every other point goes when a stroke is too long: the shape stays, the message stays small. */
export function thin(points: NormPoint[], max = MAX_FREEHAND_POINTS): NormPoint[] {
  let out = points;
  while (out.length > max) out = out.filter((_, i) => i % 2 === 0 || i === out.length - 1);
  return out;
}

/**
 * The technician's side: the tool row, a canvas over the video that takes the pointer only while a tool is
 * picked (otherwise clicks go to the video and remote control as before), and what was sent drawn locally too, so
 * both see the same marks. Works with or without control: marks are not input.
 */
export class ViewerAnnotations {
  readonly toolbar: AnnotationToolbar;
  private readonly board = new MarkBoard();
  private readonly canvas: MarkCanvas;
  private readonly channel: ViewerAnnotationChannel;
  /** The viewer keeps under the host's rate by itself: laser moves beyond it are skipped, not refused there. */
  private readonly bucket = new TokenBucket(ANNOTATION_MESSAGES_PER_SECOND, ANNOTATION_BURST);
  private readonly abort = new AbortController();
  private drag?: { start: NormPoint; points: NormPoint[] };
  private nextId = 1;
  private allowed = true;

  constructor(pc: RTCPeerConnection, video: HTMLVideoElement) {
    this.canvas = new MarkCanvas(video, this.board);
    this.canvas.overlay = (ctx, rect) => this.paintDraft(ctx, rect);
    this.channel = new ViewerAnnotationChannel(pc, (enabled) => this.hostState(enabled));
    this.toolbar = new AnnotationToolbar(
      (state) => this.toolChanged(state),
      () => this.send({ t: 'clear' }),
    );
    const c = this.canvas.canvas;
    const opts = { signal: this.abort.signal };
    c.addEventListener('pointerdown', (e) => this.down(e), opts);
    c.addEventListener('pointermove', (e) => this.move(e), opts);
    c.addEventListener('pointerup', (e) => this.up(e), opts);
    c.addEventListener('pointerleave', () => this.state.tool === 'laser' && this.send({ t: 'laser.off' }), opts);
    c.addEventListener('contextmenu', (e) => e.preventDefault(), opts);
  }

  get element(): HTMLElement {
    return this.toolbar.element;
  }

  /** The marks as drawn over the video, for a recording that keeps them in its picture. */
  get layer(): { canvas: HTMLCanvasElement; pictureRect: () => { left: number; top: number; width: number; height: number } } {
    return { canvas: this.canvas.canvas, pictureRect: () => this.canvas.pictureRect() };
  }

  dispose(): void {
    this.abort.abort();
    this.channel.close();
    this.canvas.dispose();
  }

  private get state(): ToolbarState {
    return this.toolbar.state;
  }

  private toolChanged(state: ToolbarState): void {
    this.canvas.canvas.classList.toggle('drawing', state.tool !== 'none');
    this.canvas.canvas.dataset.tool = state.tool;
    if (state.tool !== 'laser') this.send({ t: 'laser.off' });
  }

  private hostState(enabled: boolean): void {
    this.allowed = enabled;
    this.toolbar.setAllowed(enabled);
    document.body.dataset.annotationsAllowed = String(enabled);
    if (!enabled) {
      this.board.reset();
      this.canvas.redraw();
    }
  }

  /** Client position → normalised on the picture; undefined on the letterbox unless `clamp`. */
  private point(e: PointerEvent, clamp = false): NormPoint | undefined {
    const box = this.canvas.canvas.getBoundingClientRect();
    const pic = this.canvas.pictureRect();
    if (!pic.width || !pic.height) return undefined;
    const x = (e.clientX - box.left - pic.left) / Math.max(1, pic.width - 1);
    const y = (e.clientY - box.top - pic.top) / Math.max(1, pic.height - 1);
    if (!clamp && (x < 0 || x > 1 || y < 0 || y > 1)) return undefined;
    const unit = (v: number) => Math.min(1, Math.max(0, v));
    return { x: unit(x), y: unit(y) };
  }

  private down(e: PointerEvent): void {
    const p = this.point(e);
    const tool = this.state.tool;
    if (!p || e.button !== 0 || tool === 'none' || tool === 'laser') return;
    e.preventDefault();
    if (tool === 'text') return this.placeLabel(p);
    this.canvas.canvas.setPointerCapture(e.pointerId);
    this.drag = { start: p, points: [p] };
  }

  private move(e: PointerEvent): void {
    if (this.state.tool === 'laser') {
      const p = this.point(e);
      if (!p) return void this.send({ t: 'laser.off' });
      if (this.bucket.take()) this.send({ t: 'laser', ...p, color: this.state.color }, false);
      return;
    }
    const p = this.drag && this.point(e, true);
    if (!p || !this.drag) return;
    this.drag.points.push(p);
    this.canvas.redraw();
  }

  private up(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    const end = drag && this.point(e, true);
    if (!drag || !end) return;
    const shape = this.shapeOf(drag.start, [...drag.points, end]);
    if (shape) this.sendMark(shape);
    this.canvas.redraw();
  }

  private shapeOf(start: NormPoint, points: NormPoint[]): Shape | undefined {
    const end = points[points.length - 1];
    const tool = this.state.tool;
    if (tool === 'freehand') return points.length >= 2 ? { kind: 'freehand', points: thin(points) } : undefined;
    if (tool === 'arrow') return { kind: 'arrow', from: start, to: end };
    if (tool === 'rect') return { kind: 'rect', from: start, to: end };
    return undefined;
  }

  private placeLabel(at: NormPoint): void {
    const text = this.toolbar.label.value.trim();
    if (!text) return this.toolbar.label.focus();
    this.sendMark({ kind: 'text', at, text });
  }

  private sendMark(shape: Shape): void {
    this.send({ t: 'mark', id: this.nextId++, shape, color: this.state.color, pinned: this.state.pinned });
  }

  /** Sent, and shown on this side too (except the laser: the technician's own cursor is there already). */
  private send(message: ViewerAnnotation, showHere = true): void {
    if (!this.allowed) return;
    if (!this.channel.send(message) || !showHere || message.t === 'laser.off') return;
    this.board.apply(message, performance.now());
    this.canvas.redraw();
  }

  /** The shape being dragged, before it is sent. */
  private paintDraft(ctx: CanvasRenderingContext2D, rect: { left: number; top: number; width: number; height: number }): boolean {
    const drag = this.drag;
    if (!drag || drag.points.length < 2) return false;
    const shape = this.shapeOf(drag.start, drag.points);
    if (shape) paintShape(ctx, rect, shape, COLOR_HEX[this.state.color]);
    return false;
  }
}
