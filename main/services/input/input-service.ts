import { InputErrorCode } from '../../../protocol/error-codes';
import {
  type ButtonRelease,
  buttonReleaseSchema,
  type ControlMessage,
  controlMessageSchema,
  HELD_INPUT_TIMEOUT_MS,
  MAX_CONTROL_MESSAGE_BYTES,
  type PointerButton,
} from '../../../protocol/control-messages';
import { TokenBucket } from '../../../common/token-bucket';
import type { ConsentService } from '../consent-service';
import type { Injector } from './injector';
import { COMBOS, mapKey } from './key-table';
import { contains, type Rect, type SharedSurface, toDesktopPixel } from './surface';
import type { WindowSystem } from './window-system';

export interface OwnWindows {
  /** Bounds of every PeerDesk window (prompts, sharing bar, settings). */
  rects(): Rect[];
  /** True while a PeerDesk window has keyboard focus. */
  focused(): boolean;
}

export interface InputServiceDeps {
  consent: ConsentService;
  injector: Injector;
  windows: WindowSystem;
  own: OwnWindows;
  /** Per-viewer rate limit (messages per second, burst). */
  rate?: { perSecond: number; burst: number };
  /** Held keys and buttons are let go when no message arrived for this long. */
  heldTimeoutMs?: number;
}

/** What passed validation: a control message, or a button release whose position had to be clamped or left out. */
type Incoming = ControlMessage | ButtonRelease;

export type InputResult = { ok: true; injected: boolean } | { ok: false; reason: InputErrorCode; detail?: string };

/** C0/C1 controls, and the invisible format characters that reorder or hide text (bidi overrides, isolates, marks). */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** What one key code pressed on the host, so its release lets go of exactly that, whatever the key-up says. */
interface HeldKey {
  name: string;
  mods: string[];
}

/**
 * The trust boundary for remote control. Every data-channel message goes
 * validate → rate limit → consent gate → confine → map → inject, and each step
 * can only drop. Messages are handled one at a time in arrival order, and the
 * consent gate is checked when a message's turn comes, so a revoke takes effect
 * before the next queued event. Releases are never dropped by confinement (only
 * presses are), and whatever is held is let go when control ends or the viewer
 * falls silent.
 */
export class InputService {
  readonly dropped = new Map<InputErrorCode, number>();
  private surface?: SharedSurface;
  private viewer?: string;
  private bucket?: TokenBucket;
  private readonly heldKeys = new Map<string, HeldKey>();
  private readonly heldButtons = new Set<PointerButton>();
  private queue: Promise<unknown> = Promise.resolve();
  private windowRaised = false;
  private cachedBounds?: { rect: Rect; at: number };
  private watchdog?: ReturnType<typeof setTimeout>;

  constructor(private readonly deps: InputServiceDeps) {
    deps.consent.onChange((state) => {
      if (state !== 'granted') void this.enqueue(() => this.releaseAll());
    });
  }

  /** A viewer's session starts on a surface (the Electron shell and the harness both call this). */
  beginSession(viewer: string, surface: SharedSurface | undefined): void {
    this.viewer = viewer;
    this.setSurface(surface);
    const rate = this.deps.rate ?? { perSecond: 400, burst: 800 };
    this.bucket = new TokenBucket(rate.perSecond, rate.burst);
    this.deps.consent.beginSession(viewer, surface?.sourceId ?? 'unresolved');
  }

  /** The host shares something else. Control ends first, whether or not the new surface can be resolved. */
  changeSurface(sourceId: string, surface: SharedSurface | undefined): void {
    this.deps.consent.sourceChanged(sourceId);
    this.setSurface(surface);
  }

  endSession(reason: string): void {
    this.deps.consent.endSession(reason);
    void this.enqueue(() => this.releaseAll());
    this.viewer = undefined;
    this.surface = undefined;
  }

  /** True while a key or button pressed by the viewer is still down on the host. */
  get holding(): boolean {
    return this.heldKeys.size > 0 || this.heldButtons.size > 0;
  }

  /** Entry point for raw data-channel text. Never throws. */
  handle(raw: unknown): Promise<InputResult> {
    const parsed = this.parse(raw);
    if (!parsed.ok) return Promise.resolve(this.drop(parsed.reason, parsed.detail));
    // Releases are never rate-limited: a flood must not keep a button or key held. Each is cheap (it lets go of
    // at most what is held), and it was parsed like any other message before reaching this point.
    if (!isRelease(parsed.message) && this.bucket && !this.bucket.take()) return Promise.resolve(this.drop(InputErrorCode.RateLimited));
    this.watchdog?.refresh();
    return this.enqueue(() => this.apply(parsed.message));
  }

  private setSurface(surface: SharedSurface | undefined): void {
    this.surface = surface;
    this.windowRaised = false;
    this.cachedBounds = undefined;
  }

  private parse(raw: unknown): { ok: true; message: Incoming } | { ok: false; reason: InputErrorCode; detail?: string } {
    if (typeof raw !== 'string') return { ok: false, reason: InputErrorCode.BadMessage, detail: 'not text' };
    if (Buffer.byteLength(raw) > MAX_CONTROL_MESSAGE_BYTES) return { ok: false, reason: InputErrorCode.TooLarge };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, reason: InputErrorCode.BadJson };
    }
    const result = controlMessageSchema.safeParse(json);
    if (!result.success) {
      // Never drop an "up": a press whose release is refused stays held on the host.
      const release = buttonReleaseSchema.safeParse(json);
      if (release.success) return { ok: true, message: release.data };
    }
    if (!result.success) return { ok: false, reason: InputErrorCode.BadMessage, detail: result.error.issues[0]?.message };
    if (result.data.t === 'text' && FORBIDDEN_IN_TEXT.test(result.data.text))
      return { ok: false, reason: InputErrorCode.ControlChars, detail: 'Enter, Tab and other control keys travel as keys, not text' };
    return { ok: true, message: result.data };
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(m: Incoming): Promise<InputResult> {
    switch (m.t) {
      case 'control.request':
        this.deps.consent.request();
        return { ok: true, injected: false };
      case 'control.release':
        this.deps.consent.revoke('released-by-viewer');
        return { ok: true, injected: false };
      case 'release-all': {
        const held = this.holding;
        await this.releaseAll();
        return { ok: true, injected: held };
      }
      case 'keepalive':
        return { ok: true, injected: false };
    }
    const surface = this.surface;
    if (!surface || !this.viewer) return this.drop(InputErrorCode.NoSurface);
    if (!this.deps.consent.allows(this.viewer, surface.sourceId)) return this.drop(InputErrorCode.NoConsent);
    try {
      const result =
        m.t === 'button' && !m.down
          ? await this.releaseButton(m, surface)
          : m.t === 'key' || m.t === 'text' || m.t === 'combo'
            ? await this.applyKeyboard(m, surface)
            : await this.applyPointer(m as Extract<ControlMessage, { x: number }>, surface);
      this.armWatchdog();
      return result;
    } catch (err) {
      return this.drop(InputErrorCode.InjectFailed, (err as Error).message);
    }
  }

  private async applyPointer(m: Extract<ControlMessage, { x: number }>, surface: SharedSurface): Promise<InputResult> {
    const bounds = await this.surfaceBounds(surface, m.t !== 'move');
    if (!bounds) return this.drop(InputErrorCode.NoSurface);
    const p = toDesktopPixel(bounds, surface.scaleFactor, m.x, m.y);
    if (!contains(scaled(bounds, surface.scaleFactor), p.x, p.y)) return this.drop(InputErrorCode.OutsideSurface);
    if (this.deps.own.rects().some((r) => contains(r, p.x, p.y))) return this.drop(InputErrorCode.OwnWindow);
    if (m.t === 'move') {
      this.deps.injector.moveMouse(p.x, p.y);
      return { ok: true, injected: true };
    }
    if (surface.kind === 'window' && !(await this.pointAtRaised(surface.windowId, p))) return this.drop(InputErrorCode.Covered);
    this.deps.injector.moveMouse(p.x, p.y);
    if (m.t === 'wheel') this.deps.injector.scroll(m.dx, m.dy);
    else {
      this.deps.injector.button(m.button, true);
      this.heldButtons.add(m.button);
    }
    return { ok: true, injected: true };
  }

  /**
   * A release always reaches the host when its press did: confinement may only refuse to move the pointer
   * there (outside the surface, over a PeerDesk window), never keep a button down.
   */
  private async releaseButton(m: { button: PointerButton; x?: number; y?: number }, surface: SharedSurface): Promise<InputResult> {
    if (!this.heldButtons.has(m.button)) return { ok: true, injected: false };
    const { x, y } = m;
    const bounds = x !== undefined && y !== undefined ? await this.surfaceBounds(surface, true) : undefined;
    const p = bounds && x !== undefined && y !== undefined ? toDesktopPixel(bounds, surface.scaleFactor, x, y) : undefined;
    if (p && !this.deps.own.rects().some((r) => contains(r, p.x, p.y))) this.deps.injector.moveMouse(p.x, p.y);
    this.heldButtons.delete(m.button);
    this.deps.injector.button(m.button, false);
    return { ok: true, injected: true };
  }

  /**
   * Raises the shared window and proves it is the one under the pointer before a press. The raise travels on
   * our X connection and robotjs's events on another, which nothing orders: raiseWindow makes a round trip on
   * ours, mousePosition one on robotjs's (the motion is processed), and the pointer check then asks the server.
   */
  private async pointAtRaised(windowId: string, p: { x: number; y: number }): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.deps.windows.raiseWindow(windowId);
      this.windowRaised = true;
      this.deps.injector.moveMouse(p.x, p.y);
      this.deps.injector.mousePosition();
      if (await this.deps.windows.isUnderPointer(windowId)) return true;
    }
    return false;
  }

  private async applyKeyboard(m: Extract<ControlMessage, { t: 'key' | 'text' | 'combo' }>, surface: SharedSurface): Promise<InputResult> {
    const id = m.t === 'key' ? m.code || `key:${m.key}` : '';
    if (m.t === 'key' && !m.down) return this.releaseKey(id);
    if (this.deps.own.focused()) return this.drop(InputErrorCode.OwnWindow);
    if (surface.kind === 'window') await this.ensureRaised(surface.windowId);
    if (m.t === 'text') {
      await this.deps.injector.typeText(m.text);
      return { ok: true, injected: true };
    }
    if (m.t === 'combo') {
      // A tap: pressed and released at once, so nothing of it can stay held.
      const { name, mods } = COMBOS[m.combo];
      this.deps.injector.key(name, true, mods);
      this.deps.injector.key(name, false, mods);
      return { ok: true, injected: true };
    }
    const action = mapKey(m.code, m.key, m.mods);
    if (action.kind === 'ignore')
      return action.reason === 'modifier' ? { ok: true, injected: false } : this.drop(InputErrorCode.UnmappedKey, m.code);
    if (action.kind === 'text') {
      await this.deps.injector.typeText(action.text);
      return { ok: true, injected: true };
    }
    // A repeat of a held key presses again with what it first pressed, so its one release fits every press.
    const held = this.heldKeys.get(id) ?? { name: action.name, mods: action.mods };
    this.deps.injector.key(held.name, true, held.mods);
    this.heldKeys.set(id, held);
    return { ok: true, injected: true };
  }

  /** Lets go of exactly what the press of this key code pressed, whatever modifiers the key-up reports. */
  private releaseKey(id: string): InputResult {
    const held = this.heldKeys.get(id);
    if (!held) return { ok: true, injected: false };
    this.heldKeys.delete(id);
    this.deps.injector.key(held.name, false, held.mods);
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

  /** While something is held, silence longer than the bound lets go of it (a viewer that froze or vanished). */
  private armWatchdog(): void {
    if (!this.holding) {
      clearTimeout(this.watchdog);
      this.watchdog = undefined;
      return;
    }
    this.watchdog ??= setTimeout(() => {
      this.watchdog = undefined;
      void this.enqueue(() => this.releaseAll());
    }, this.deps.heldTimeoutMs ?? HELD_INPUT_TIMEOUT_MS);
    this.watchdog.unref?.();
  }

  /** Lets go of everything the viewer holds down (blur, disconnect, revoke, silence). */
  private async releaseAll(): Promise<void> {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    for (const { name, mods } of this.heldKeys.values()) this.safely(() => this.deps.injector.key(name, false, mods));
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

  private drop(reason: InputErrorCode, detail?: string): InputResult {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    return { ok: false, reason, detail };
  }
}

const isRelease = (m: Incoming) => ((m.t === 'button' || m.t === 'key') && !m.down) || m.t === 'release-all';

const scaled = (r: Rect, s: number): Rect => ({ x: r.x * s, y: r.y * s, width: r.width * s, height: r.height * s });
