import type { Injector } from '../../main/services/input/injector';
import type { PointerButton } from '../../protocol/control-messages';

/**
 * The harness's injector: the real one, with the time its first call for the current control message began
 * (`stamp.injectAt`), on the observer's clock. The input benchmark splits the host services' work from the X
 * server's delivery with it; stamping before the call keeps robotjs's own sleeps (the baseline's 10 ms) out of it.
 */
export class TimedInjector implements Injector {
  constructor(
    private readonly inner: Injector,
    private readonly stamp: () => { injectAt: number },
    private readonly clock: () => number,
  ) {}

  private mark(): void {
    const s = this.stamp();
    if (!s.injectAt) s.injectAt = this.clock();
  }

  moveMouse(x: number, y: number): void {
    this.mark();
    this.inner.moveMouse(x, y);
  }

  button(button: PointerButton, down: boolean): void {
    this.mark();
    this.inner.button(button, down);
  }

  scroll(dx: number, dy: number): void {
    this.mark();
    this.inner.scroll(dx, dy);
  }

  key(name: string, down: boolean, mods: string[]): void {
    this.mark();
    this.inner.key(name, down, mods);
  }

  typeText(text: string): Promise<void> {
    this.mark();
    return this.inner.typeText(text);
  }

  mousePosition(): { x: number; y: number } {
    return this.inner.mousePosition();
  }
}
