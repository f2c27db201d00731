import type { PointerButton } from '../../../protocol/control-messages';
import type { Injector } from './injector';

/** What one key code pressed on the host, so its release lets go of exactly that, whatever the key-up says. */
export interface HeldKey {
  name: string;
  mods: string[];
}

/**
 * Everything the viewer holds down on the host, and the watchdog that lets go of it when the viewer falls silent.
 * Only what a press here put down is ever released: a key-up releases its own key code's press, nothing else.
 */
export class HeldInput {
  private readonly keys = new Map<string, HeldKey>();
  private readonly buttons = new Set<PointerButton>();
  private watchdog?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly injector: Injector,
    private readonly timeoutMs: number,
    /** Called when the watchdog fires: the owner releases everything in its own queue. */
    private readonly onSilence: () => void,
  ) {}

  /** True while a key or button pressed by the viewer is still down on the host. */
  get holding(): boolean {
    return this.keys.size > 0 || this.buttons.size > 0;
  }

  /** Any message from the viewer counts as a sign of life. */
  refresh(): void {
    this.watchdog?.refresh();
  }

  hasButton(button: PointerButton): boolean {
    return this.buttons.has(button);
  }

  pressButton(button: PointerButton): void {
    this.injector.button(button, true);
    this.buttons.add(button);
  }

  releaseButton(button: PointerButton): void {
    this.buttons.delete(button);
    this.injector.button(button, false);
  }

  /** A repeat of a held key presses again with what it first pressed, so its one release fits every press. */
  pressKey(id: string, fresh: HeldKey): void {
    const held = this.keys.get(id) ?? fresh;
    this.injector.key(held.name, true, held.mods);
    this.keys.set(id, held);
  }

  /** Lets go of exactly what the press of this key code pressed; false when it holds nothing. */
  releaseKey(id: string): boolean {
    const held = this.keys.get(id);
    if (!held) return false;
    this.keys.delete(id);
    this.injector.key(held.name, false, held.mods);
    return true;
  }

  /** While something is held, silence longer than the bound lets go of it (a viewer that froze or vanished). */
  arm(): void {
    if (!this.holding) return this.disarm();
    this.watchdog ??= setTimeout(() => {
      this.watchdog = undefined;
      this.onSilence();
    }, this.timeoutMs);
    this.watchdog.unref?.();
  }

  /** Lets go of everything held (blur, disconnect, revoke, silence); one failed release does not stop the others. */
  releaseAll(): void {
    this.disarm();
    for (const { name, mods } of this.keys.values()) safely(() => this.injector.key(name, false, mods));
    for (const button of this.buttons) safely(() => this.injector.button(button, false));
    this.keys.clear();
    this.buttons.clear();
  }

  private disarm(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A failed release must not stop the other releases.
  }
}
