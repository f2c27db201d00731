import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowRole = 'main' | 'consent' | 'indicator' | 'overlay';

/** Above full-screen apps, so a prompt or the indicator is never hidden behind what is shared. */
export const TOPMOST_LEVEL = 'screen-saver';

/** Size and behaviour per window; the hardened web preferences are added by `createAppWindow`. */
export function windowShape(role: WindowRole): BrowserWindowConstructorOptions {
  switch (role) {
    case 'main':
      return { width: 1100, height: 760, minWidth: 720, minHeight: 520, title: 'PeerDesk' };
    case 'consent':
      return {
        width: 480,
        height: 460,
        title: 'PeerDesk — allow remote control?',
        resizable: false,
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        alwaysOnTop: true,
      };
    case 'indicator':
      return {
        width: 540,
        height: 56,
        title: 'PeerDesk — sharing',
        frame: false,
        resizable: false,
        movable: true,
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        skipTaskbar: true,
        alwaysOnTop: true,
      };
    case 'overlay':
      // The technician's marks over what is shared: see-through, never focused, no frame or shadow to give it away.
      return {
        title: 'PeerDesk — marks',
        transparent: true,
        backgroundColor: '#00000000',
        frame: false,
        hasShadow: false,
        focusable: false,
        resizable: false,
        movable: false,
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        skipTaskbar: true,
        alwaysOnTop: true,
      };
  }
}
