import type { OverlayMessage } from '../../../protocol/annotation-messages';
import type { Rect } from '../input/surface';
import { coveredFraction } from './covered';

/** What the overlay page is told: a mark message as the host page accepted it, or "nothing any more". */
export type { OverlayMessage };

/** The overlay window as this service needs it; main/adapters/overlay-window.ts makes the Electron one. */
export interface OverlayWindowPort {
  /** Logical (DIP) pixels of the desktop. */
  setBounds(bounds: Rect): void;
  /** Shown without taking focus. */
  show(): void;
  hide(): void;
  send(message: OverlayMessage): void;
  destroy(): void;
  /** The window system's id of the overlay window (X11: its XID), so it is not taken for a window covering the shared one. */
  nativeId?(): string | undefined;
}

/** What is shared: a whole screen stays put; a window is followed. Bounds in desktop pixels (robotjs's, X's). */
export type OverlayTarget =
  { kind: 'screen'; bounds: Rect; scaleFactor: number } | { kind: 'window'; windowId: string; scaleFactor: number };

export interface OverlayDeps {
  create(): OverlayWindowPort;
  /** The shared window's bounds now, or undefined when it is gone. */
  windowBounds(windowId: string): Promise<Rect | undefined>;
  /** False while the window is minimised (unmapped) or otherwise not on screen; absent: assume it is. */
  windowShown?(windowId: string): Promise<boolean>;
  /**
   * The on-screen rectangles of the windows stacked above the shared one (the `own` windows left out), in its
   * coordinates; absent or undefined: nothing is known to cover it.
   */
  windowsAbove?(windowId: string, own: string[]): Promise<Rect[] | undefined>;
  /** How often a shared window's place is checked (a move or resize shows up within this). */
  followMs?: number;
}

/** At least this much of the shared window under other windows and the marks hide (see covered.ts). */
export const COVERED_HIDE_FRACTION = 0.5;

const sameRect = (a: Rect | undefined, b: Rect) => a?.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
const toDips = (r: Rect, scale: number): Rect => ({
  x: Math.round(r.x / scale),
  y: Math.round(r.y / scale),
  width: Math.round(r.width / scale),
  height: Math.round(r.height / scale),
});

/**
 * The desktop app's marks over what is shared: one transparent, click-through, never-focused window laid exactly
 * over the shared screen, or over the shared window and following it as it moves and resizes, hidden while that
 * window is minimised, gone, or mostly covered by other windows (`COVERED_HIDE_FRACTION`). It exists only while a session shares something and the person shows marks;
 * `stop` (session end, marks off, a switch to nothing) destroys it.
 */
export class AnnotationOverlay {
  private window?: OverlayWindowPort;
  private target?: OverlayTarget;
  private bounds?: Rect;
  private shown = false;
  private timer?: ReturnType<typeof setInterval>;
  private following = false;

  constructor(private readonly deps: OverlayDeps) {}

  /** Lays the overlay over `target` (again after a source switch); marks from before are cleared. */
  async start(target: OverlayTarget): Promise<void> {
    this.target = target;
    this.window ??= this.deps.create();
    this.window.send({ t: 'off' });
    clearInterval(this.timer);
    this.timer = undefined;
    if (target.kind === 'screen') return this.place(toDips(target.bounds, target.scaleFactor));
    await this.follow();
    this.timer = setInterval(() => void this.follow(), this.deps.followMs ?? 100);
  }

  draw(message: OverlayMessage): void {
    this.window?.send(message);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.window?.destroy();
    this.window = undefined;
    this.target = undefined;
    this.bounds = undefined;
    this.shown = false;
  }

  get active(): boolean {
    return Boolean(this.window);
  }

  /** One check of the shared window; a check still running when the next is due is not doubled. */
  private async follow(): Promise<void> {
    const target = this.target;
    if (this.following || target?.kind !== 'window') return;
    this.following = true;
    try {
      const own = this.window?.nativeId?.();
      const [bounds, shown, above] = await Promise.all([
        this.deps.windowBounds(target.windowId),
        this.deps.windowShown?.(target.windowId) ?? Promise.resolve(true),
        this.deps.windowsAbove?.(target.windowId, own ? [own] : []),
      ]);
      if (this.target !== target) return;
      if (!bounds || !shown || bounds.width <= 0 || bounds.height <= 0) return this.hide();
      if (above && coveredFraction(bounds, above) >= COVERED_HIDE_FRACTION) return this.hide();
      this.place(toDips(bounds, target.scaleFactor));
    } finally {
      this.following = false;
    }
  }

  private place(bounds: Rect): void {
    if (!this.window) return;
    if (!sameRect(this.bounds, bounds)) this.window.setBounds(bounds);
    this.bounds = bounds;
    if (!this.shown) this.window.show();
    this.shown = true;
  }

  private hide(): void {
    if (this.shown) this.window?.hide();
    this.shown = false;
  }
}
