import { IpcChannel } from '../../protocol/ipc-channels';
import type { OverlayMessage, OverlayWindowPort } from '../services/overlay/annotation-overlay';
import { createAppWindow } from './app-window';

/** The IPC channel main pushes marks on to the overlay page (the overlay sends nothing back). */
export const OVERLAY_CHANNEL = IpcChannel.overlayMarks;

/**
 * The overlay window for AnnotationOverlay: click-through (every mouse event goes to what is under it, the
 * shared window included), always on top, never focusable, shown without activation. The hardened web
 * preferences are app-window.ts's; the shape (transparent, frameless, focusable false) is window-options.ts's.
 */
export function createOverlayWindow(preload: string, url: string): OverlayWindowPort {
  const win = createAppWindow('overlay', preload);
  win.setIgnoreMouseEvents(true);
  void win.loadURL(url);
  return {
    setBounds: (bounds) => win.setBounds(bounds),
    show: () => win.showInactive(),
    hide: () => win.hide(),
    send: (message: OverlayMessage) => win.isDestroyed() || win.webContents.send(OVERLAY_CHANNEL, message),
    destroy: () => win.isDestroyed() || win.destroy(),
    // On X11 the native handle is the window's XID (an unsigned long; the low 32 bits are the whole id).
    nativeId: () => (win.isDestroyed() || process.platform !== 'linux' ? undefined : String(win.getNativeWindowHandle().readUInt32LE(0))),
  };
}
