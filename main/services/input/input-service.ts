import { InputErrorCode } from '../../../protocol/error-codes';
import { type ControlMessage, HELD_INPUT_TIMEOUT_MS, type PointerButton } from '../../../protocol/control-messages';
import { TokenBucket } from '../../../common/token-bucket';
import type { ConsentService } from '../consent-service';
import { type Incoming, isRelease, parseControl } from './control-parser';
import { HeldInput } from './held-input';
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

export type InputResult = { ok: true; injected: boolean } | { ok: false; reason: InputErrorCode; detail?: string };

/**
 * The trust boundary for remote control. Every data-channel message goes
 * validate (`control-parser.ts`) → rate limit → consent gate → confine → map → inject, and each step
 * can only drop. Messages are handled one at a time in arrival order, and the
 * consent gate is checked when a message's turn comes, so a revoke takes effect
 * before the next queued event. Moves are the exception to "every message": they
 * travel unordered, so one older than a pointer event already seen is dropped on
 * arrival, and a move still waiting for its turn is replaced by a newer one (only
 * the latest position matters; a move never jumps ahead of a click or key queued
 * before it). Releases are never dropped by confinement (only
 * presses are), and whatever is held (`held-input.ts`) is let go when control
 * ends or the viewer falls silent.
 */
export class InputService {
  readonly dropped = new Map<InputErrorCode, number>();
  private surface?: SharedSurface;
  private viewer?: string;
  private bucket?: TokenBucket;
  private readonly held: HeldInput;
  private queue: Promise<unknown> = Promise.resolve();
  private windowRaised = false;
  private cachedBounds?: { rect: Rect; at: number };
  /** The newest pointer event number (`seq`) seen from this viewer; 0 before the first. */
  private pointerSeq = 0;
  /** The move queued and not yet applied: a newer move takes its place instead of queueing behind it. */
  private openMove?: OpenMove;

  constructor(private readonly deps: InputServiceDeps) {
    this.held = new HeldInput(deps.injector, deps.heldTimeoutMs ?? HELD_INPUT_TIMEOUT_MS, () => void this.enqueue(() => this.releaseAll()));
    deps.consent.onChange((state) => {
      // The viewer's numbering may start again with its next grant.
      if (state === 'granted') this.pointerSeq = 0;
      else void this.enqueue(() => this.releaseAll());
    });
  }

  /** A viewer's session starts on a surface (the Electron shell and the harness both call this). */
  beginSession(viewer: string, surface: SharedSurface | undefined): void {
    this.viewer = viewer;
    this.pointerSeq = 0;
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
    return this.held.holding;
  }

  /** Entry point for raw data-channel text. Never throws. */
  handle(raw: unknown): Promise<InputResult> {
    const parsed = parseControl(raw);
    if (!parsed.ok) return Promise.resolve(this.drop(parsed.reason, parsed.detail));
    const m = parsed.message;
    if (m.t === 'move' && m.seq !== undefined && m.seq <= this.pointerSeq) return Promise.resolve(this.drop(InputErrorCode.StaleMove));
    // Releases are never rate-limited: a flood must not keep a button or key held. Each is cheap (it lets go of
    // at most what is held), and it was parsed like any other message before reaching this point.
    if (!isRelease(m) && this.bucket && !this.bucket.take()) return Promise.resolve(this.drop(InputErrorCode.RateLimited));
    this.held.refresh();
    if ('seq' in m && m.seq !== undefined) this.pointerSeq = Math.max(this.pointerSeq, m.seq);
    if (m.t === 'move') return this.enqueueMove(m);
    // Whatever comes next queues behind this message, so a later move may not take an earlier move's place.
    this.openMove = undefined;
    return this.enqueue(() => this.apply(m));
  }

  /** Queues a move, or puts it in the place of the move still waiting in the queue, which is then dropped as stale. */
  private enqueueMove(m: MoveMessage): Promise<InputResult> {
    return new Promise((resolve) => {
      const open = this.openMove;
      if (open) {
        open.resolve(this.drop(InputErrorCode.StaleMove, 'replaced by a newer move'));
        Object.assign(open, { message: m, resolve });
        return;
      }
      const slot: OpenMove = { message: m, resolve };
      this.openMove = slot;
      void this.enqueue(async () => {
        if (this.openMove === slot) this.openMove = undefined;
        const result = await this.apply(slot.message).catch((err: Error) => this.drop(InputErrorCode.InjectFailed, err.message));
        slot.resolve(result);
      });
    });
  }

  private setSurface(surface: SharedSurface | undefined): void {
    this.surface = surface;
    this.windowRaised = false;
    this.cachedBounds = undefined;
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
      this.held.arm();
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
    else this.held.pressButton(m.button);
    return { ok: true, injected: true };
  }

  /**
   * A release always reaches the host when its press did: confinement may only refuse to move the pointer
   * there (outside the surface, over a PeerDesk window), never keep a button down.
   */
  private async releaseButton(m: { button: PointerButton; x?: number; y?: number }, surface: SharedSurface): Promise<InputResult> {
    if (!this.held.hasButton(m.button)) return { ok: true, injected: false };
    const { x, y } = m;
    const bounds = x !== undefined && y !== undefined ? await this.surfaceBounds(surface, true) : undefined;
    const p = bounds && x !== undefined && y !== undefined ? toDesktopPixel(bounds, surface.scaleFactor, x, y) : undefined;
    if (p && !this.deps.own.rects().some((r) => contains(r, p.x, p.y))) this.deps.injector.moveMouse(p.x, p.y);
    this.held.releaseButton(m.button);
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
    if (m.t === 'key' && !m.down) return { ok: true, injected: this.held.releaseKey(id) };
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
    this.held.pressKey(id, { name: action.name, mods: action.mods });
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

  /** Lets go of everything the viewer holds down (blur, disconnect, revoke, silence). */
  private async releaseAll(): Promise<void> {
    this.held.releaseAll();
  }

  private drop(reason: InputErrorCode, detail?: string): InputResult {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    return { ok: false, reason, detail };
  }
}

type MoveMessage = Extract<ControlMessage, { t: 'move' }>;
interface OpenMove {
  message: MoveMessage;
  resolve: (result: InputResult) => void;
}

const scaled = (r: Rect, s: number): Rect => ({ x: r.x * s, y: r.y * s, width: r.width * s, height: r.height * s });
