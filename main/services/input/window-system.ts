import type { Rect } from './surface';

/** What InputService needs from the host's window system; X11 implements it, other platforms fail closed. */
export interface WindowSystem {
  /** Current bounds of a window in desktop pixels, or undefined when it is gone. */
  windowBounds(windowId: string): Promise<Rect | undefined>;
  /** Raises and focuses the window; resolves once the window system has processed it. */
  raiseWindow(windowId: string): Promise<void>;
  activeWindow(): Promise<string | undefined>;
  /** True when the topmost window under the pointer is this window (or its frame). */
  isUnderPointer(windowId: string): Promise<boolean>;
}
