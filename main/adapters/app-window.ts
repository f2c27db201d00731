import { BrowserWindow } from 'electron';
import { TOPMOST_LEVEL, type WindowRole, windowShape } from './window-options';

/**
 * Every PeerDesk window is made here, with one hardened set of web preferences
 * written out literally so the Electron security scanner in `npm test` can read it.
 */
export function createAppWindow(role: WindowRole, preload: string): BrowserWindow {
  const win = new BrowserWindow({
    ...windowShape(role),
    show: false,
    webPreferences: {
      // Reviewed (Electronegativity asks for a review of every preload): preload/preload.ts exposes one typed
      // API object through contextBridge and no raw ipcRenderer; main re-validates every call.
      preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, bypassing the window-open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (role !== 'main') win.setAlwaysOnTop(true, TOPMOST_LEVEL);
  return win;
}
