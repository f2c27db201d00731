import type { PointerButton } from '../../../protocol/control-messages';

/** The only thing that touches the OS input queue. InputService calls it after every check passed. */
export interface Injector {
  moveMouse(x: number, y: number): void;
  button(button: PointerButton, down: boolean): void;
  /** Notches; positive dy scrolls down, positive dx right. */
  scroll(dx: number, dy: number): void;
  key(name: string, down: boolean, mods: string[]): void;
  typeText(text: string): Promise<void>;
  /** Also a round trip to the window system: every event injected before it has been processed. */
  mousePosition(): { x: number; y: number };
}
