import type { X11Connection } from '../input/x11-connection';

/** X's map state "viewable": the window and all its ancestors are mapped. */
const IS_VIEWABLE = 2;

/**
 * Whether a window is on screen at all, for the overlay over a shared window: a minimised (iconified) window is
 * unmapped, and so is one that was closed or withdrawn. Being covered by another window is not seen here.
 */
export function x11WindowShown(conn: X11Connection): (windowId: string) => Promise<boolean> {
  return async (windowId) => {
    try {
      const attrs = await conn.call<{ mapState: number }>((cb) => conn.x.GetWindowAttributes(Number(windowId), cb));
      return attrs.mapState === IS_VIEWABLE;
    } catch {
      return false;
    }
  };
}
