import type { PointerButton } from '../../../protocol/control-messages';

/** The only thing that touches the OS input queue. InputService calls it after every check passed. */
export interface Injector {
  moveMouse(x: number, y: number): void;
  button(button: PointerButton, down: boolean): void;
  /** Notches; positive dy scrolls down, positive dx right. */
  scroll(dx: number, dy: number): void;
  key(name: string, down: boolean, mods: string[]): void;
  typeText(text: string): Promise<void>;
  mousePosition(): { x: number; y: number };
}

/** What the host's own desktop looks like to InputService, behind a platform adapter. */
export interface DesktopProbe {
  /** Current bounds of a shared window, re-read so a moved window still maps right. */
  windowBounds(windowId: string): Promise<import('./surface').Rect | undefined>;
  /** Raises and focuses a shared window before input lands in it. */
  raiseWindow(windowId: string): Promise<void>;
  activeWindow(): Promise<string | undefined>;
  /** Bounds of every PeerDesk window (prompts, sharing bar): input must never land there. */
  ownWindowRects(): import('./surface').Rect[];
  /** True while a PeerDesk window has keyboard focus. */
  ownWindowFocused(): boolean;
}
