import { BrowserWindow, screen } from 'electron';
import type { OwnWindows } from '../services/input/input-service';
import type { ScreenInfo } from '../services/host-services';

/** Every PeerDesk window, in physical pixels, so injected input never lands on one. */
export const electronOwnWindows: OwnWindows = {
  rects: () =>
    BrowserWindow.getAllWindows()
      .filter((w) => w.isVisible() && !w.isMinimized())
      .map((w) => screen.dipToScreenRect(w, w.getBounds())),
  focused: () => BrowserWindow.getAllWindows().some((w) => w.isFocused()),
};

export const electronScreens = (): ScreenInfo[] =>
  screen.getAllDisplays().map((d) => ({ id: String(d.id), bounds: d.bounds, scaleFactor: d.scaleFactor }));
