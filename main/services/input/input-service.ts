import {
  type ControlMessage,
  controlMessageSchema,
  MAX_CONTROL_MESSAGE_BYTES,
  type PointerButton,
} from '../../../protocol/control-messages';
import type { ConsentService } from '../consent-service';
import type { Injector } from './injector';
import { mapKey } from './key-table';
import { contains, type Rect, type SharedSurface, toDesktopPixel } from './surface';
import type { WindowSystem } from './x11-window-system';
import { TokenBucket } from '../../../signaling/token-bucket';

export interface OwnWindows {
  /** Bounds of every PeerDesk window (prompts, sharing bar, settings). */
  rects(): Rect[];
  /** True while a PeerDesk window has keyboard focus. */
  focused(): boolean;
}

export type DropReason =
  | 'INPUT_ERR_TOO_LARGE'
  | 'INPUT_ERR_BAD_JSON'
  | 'INPUT_ERR_BAD_MESSAGE'
  | 'INPUT_ERR_RATE_LIMITED'
  | 'INPUT_ERR_NO_CONSENT'
  | 'INPUT_ERR_NO_SURFACE'
  | 'INPUT_ERR_OUTSIDE_SURFACE'
  | 'INPUT_ERR_OWN_WINDOW'
  | 'INPUT_ERR_UNMAPPED_KEY'
  | 'INPUT_ERR_INJECT_FAILED';

export interface InputServiceDeps {
  consent: ConsentService;
  injector: Injector;
  windows: WindowSystem;
  own: OwnWindows;
  /** Per-viewer rate limit (messages per second, burst). */
  rate?: { perSecond: number; burst: number };
}

export type InputResult = { ok: true; injected: boolean } | { ok: false; reason: DropReason; detail?: string };

/**
 * The trust boundary for remote control. Every data-channel message goes
 * validate → rate limit → consent gate → confine → map → inject, and each step
 * can only drop. Messages are handled one at a time in arrival order, and the
 * consent gate is checked when a message's turn comes, so a revoke takes effect
 * before the next queued event.
 */
export class InputService {
  readonly dropped = new Map<DropReason, number>();
  private surface?: SharedSurface;
  private viewer?: string;
  private bucket?: TokenBucket;
  private readonly heldKeys = new Map<string, string[]>();
  private readonly heldButtons = new Set<PointerButton>();
  private queue: Promise<unknown> = Promise.resolve();
  private windowRaised = false;
  private cachedBounds?: { rect: Rect; at: number };

  constructor(private readonly deps: InputServiceDeps) {
    deps.consent.onChange((state) => {
      if (state !== 'granted') void this.enqueue(() => this.releaseAll());
    });
  }

  /** A viewer's session starts on a surface (the Electron shell and the harness both call this). */
  beginSession(viewer: string, surface: SharedSurface): void {
    this.viewer = viewer;
    this.surface = surface;
    this.windowRaised = false;
    this.cachedBounds = undefined;
    const rate = this.deps.rate ?? { perSecond: 400, burst: 800 };
    this.bucket = new TokenBucket(rate.perSecond, rate.burst);
    this.deps.consent.beginSession(viewer, surface.sourceId);
  }

  changeSurface(surface: SharedSurface): void {
    this.surface = surface;
    this.windowRaised = false;
    this.cachedBounds = undefined;
    this.deps.consent.sourceChanged(surface.sourceId);
  }

  endSession(reason: string): void {
    this.deps.consent.endSession(reason);
    void this.enqueue(() => this.releaseAll());
    this.viewer = undefined;
    this.surface = undefined;
  }

  /** Entry point for raw data-channel text. Never throws. */
  handle(raw: unknown): Promise<InputResult> {
    const parsed = this.parse(raw);
    if (!parsed.ok) return Promise.resolve(this.drop(parsed.reason, parsed.detail));
    if (this.bucket && !this.bucket.take()) return Promise.resolve(this.drop('INPUT_ERR_RATE_LIMITED'));
    return this.enqueue(() => this.apply(parsed.message));
  }

  private parse(raw: unknown): { ok: true; message: ControlMessage } | { ok: false; reason: DropReason; detail?: string } {
    if (typeof raw !== 'string') return { ok: false, reason: 'INPUT_ERR_BAD_MESSAGE', detail: 'not text' };
    if (Buffer.byteLength(raw) > MAX_CONTROL_MESSAGE_BYTES) return { ok: false, reason: 'INPUT_ERR_TOO_LARGE' };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'INPUT_ERR_BAD_JSON' };
    }
    const result = controlMessageSchema.safeParse(json);
    if (!result.success) return { ok: false, reason: 'INPUT_ERR_BAD_MESSAGE', detail: result.error.issues[0]?.message };
    return { ok: true, message: result.data };
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(m: ControlMessage): Promise<InputResult> {
    if (m.t === 'control.request') {
      this.deps.consent.request();
      return { ok: true, injected: false };
    }
    if (m.t === 'control.release') {
      this.deps.consent.revoke('released-by-viewer');
      return { ok: true, injected: false };
    }
    if (m.t === 'release-all') {
      await this.releaseAll();
      return { ok: true, injected: true };
    }
    const surface = this.surface;
    if (!surface || !this.viewer) return this.drop('INPUT_ERR_NO_SURFACE');
    if (!this.deps.consent.allows(this.viewer, surface.sourceId)) return this.drop('INPUT_ERR_NO_CONSENT');
    try {
      if (m.t === 'key' || m.t === 'text') return await this.applyKeyboard(m, surface);
      return await this.applyPointer(m, surface);
    } catch (err) {
      return this.drop('INPUT_ERR_INJECT_FAILED', (err as Error).message);
    }
  }

  private async applyPointer(m: Extract<ControlMessage, { x: number }>, surface: SharedSurface): Promise<InputResult> {
    const bounds = await this.surfaceBounds(surface, m.t !== 'move');
    if (!bounds) return this.drop('INPUT_ERR_NO_SURFACE');
    const p = toDesktopPixel(bounds, surface.scaleFactor, m.x, m.y);
    if (!contains(scaled(bounds, surface.scaleFactor), p.x, p.y)) return this.drop('INPUT_ERR_OUTSIDE_SURFACE');
    if (this.deps.own.rects().some((r) => contains(r, p.x, p.y))) return this.drop('INPUT_ERR_OWN_WINDOW');
    if (m.t !== 'move' && surface.kind === 'window') await this.ensureRaised(surface.windowId);
    this.deps.injector.moveMouse(p.x, p.y);
    if (m.t === 'button') {
      this.deps.injector.button(m.button, m.down);
      if (m.down) this.heldButtons.add(m.button);
      else this.heldButtons.delete(m.button);
    } else if (m.t === 'wheel') this.deps.injector.scroll(m.dx, m.dy);
    return { ok: true, injected: true };
  }

  private async applyKeyboard(m: Extract<ControlMessage, { t: 'key' | 'text' }>, surface: SharedSurface): Promise<InputResult> {
    if (this.deps.own.focused()) return this.drop('INPUT_ERR_OWN_WINDOW');
    if (surface.kind === 'window') await this.ensureRaised(surface.windowId);
    if (m.t === 'text') {
      await this.deps.injector.typeText(m.text);
      return { ok: true, injected: true };
    }
    const action = mapKey(m.code, m.key, m.mods);
    if (action.kind === 'ignore')
      return action.reason === 'modifier' ? { ok: true, injected: false } : this.drop('INPUT_ERR_UNMAPPED_KEY', m.code);
    if (action.kind === 'text') {
      if (m.down) await this.deps.injector.typeText(action.text);
      return { ok: true, injected: m.down };
    }
    if (!m.down && !this.heldKeys.has(action.name)) return { ok: true, injected: false };
    this.deps.injector.key(action.name, m.down, action.mods);
    if (m.down) this.heldKeys.set(action.name, action.mods);
    else this.heldKeys.delete(action.name);
    return { ok: true, injected: true };
  }

  /** Window bounds are re-read for clicks and keys, and at most every 100 ms for moves. */
  private async surfaceBounds(surface: SharedSurface, fresh: boolean): Promise<Rect | undefined> {
    if (surface.kind === 'screen') return surface.bounds;
    const now = Date.now();
    if (!fresh && this.cachedBounds && now - this.cachedBounds.at < 100) return this.cachedBounds.rect;
    const rect = await this.deps.windows.windowBounds(surface.windowId);
    this.cachedBounds = rect && { rect, at: now };
    return rect;
  }

  private async ensureRaised(windowId: string): Promise<void> {
    if (this.windowRaised && (await this.deps.windows.activeWindow()) === windowId) return;
    await this.deps.windows.raiseWindow(windowId);
    this.windowRaised = true;
  }

  /** Lets go of everything the viewer holds down (blur, disconnect, revoke). */
  private async releaseAll(): Promise<void> {
    for (const [name, mods] of this.heldKeys) this.safely(() => this.deps.injector.key(name, false, mods));
    for (const button of this.heldButtons) this.safely(() => this.deps.injector.button(button, false));
    this.heldKeys.clear();
    this.heldButtons.clear();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // A failed release must not stop the other releases.
    }
  }

  private drop(reason: DropReason, detail?: string): InputResult {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    return { ok: false, reason, detail };
  }
}

const scaled = (r: Rect, s: number): Rect => ({ x: r.x * s, y: r.y * s, width: r.width * s, height: r.height * s });
