import type { Rect } from '../input/surface';
import type { X11Connection } from '../input/x11-connection';

const IS_VIEWABLE = 2;
const INPUT_ONLY = 2;

/**
 * The on-screen rectangles (root coordinates) of the windows stacked above a shared window: the root's children
 * come bottom to top (QueryTree), so everything after the shared window's top-level (its frame under a window
 * manager) is above it. Unmapped and input-only windows draw nothing and are left out, and so are the top-levels of
 * `own` (the overlay itself sits above the window it marks). Undefined when the window cannot be found.
 */
export function x11WindowsAbove(conn: X11Connection): (windowId: string, own: string[]) => Promise<Rect[] | undefined> {
  const tree = (wid: number) => conn.call<{ parent: number; children: number[] }>((cb) => conn.x.QueryTree(wid, cb));
  const topLevel = async (wid: number): Promise<number> => {
    let current = wid;
    for (let depth = 0; depth < 16; depth++) {
      const { parent } = await tree(current);
      if (parent === conn.root || parent === 0) return current;
      current = parent;
    }
    return current;
  };
  const drawnRect = async (wid: number): Promise<Rect | undefined> => {
    try {
      const attrs = await conn.call<{ mapState: number; klass: number }>((cb) => conn.x.GetWindowAttributes(wid, cb as never));
      if (attrs.mapState !== IS_VIEWABLE || attrs.klass === INPUT_ONLY) return undefined;
      const g = await conn.call<{ xPos: number; yPos: number; width: number; height: number }>((cb) => conn.x.GetGeometry(wid, cb));
      return { x: g.xPos, y: g.yPos, width: g.width, height: g.height };
    } catch {
      return undefined; // gone meanwhile
    }
  };
  return async (windowId, own) => {
    try {
      const [shared, { children }, ...ours] = await Promise.all([
        topLevel(Number(windowId)),
        tree(conn.root),
        ...own.map((id) => topLevel(Number(id)).catch(() => 0)),
      ]);
      const at = children.indexOf(shared);
      if (at < 0) return undefined;
      const above = children.slice(at + 1).filter((w) => !ours.includes(w));
      return (await Promise.all(above.map(drawnRect))).filter((r): r is Rect => r !== undefined);
    } catch {
      return undefined;
    }
  };
}
