import type { Rect } from './surface';
import type { WindowSystem } from './window-system';
import type { X11Connection } from './x11-connection';

/** Window geometry and focus on X11 through one persistent connection (no process per query). */
export class X11WindowSystem implements WindowSystem {
  constructor(private readonly conn: X11Connection) {}

  async windowBounds(windowId: string): Promise<Rect | undefined> {
    const wid = Number(windowId);
    try {
      const geo = await this.conn.call<{ width: number; height: number }>((cb) => this.conn.x.GetGeometry(wid, cb));
      const origin = await this.conn.call<{ destX: number; destY: number }>((cb) =>
        this.conn.x.TranslateCoordinates(wid, this.conn.root, 0, 0, cb),
      );
      return { x: origin.destX, y: origin.destY, width: geo.width, height: geo.height };
    } catch {
      return undefined;
    }
  }

  /** Raises the window's top-level ancestor (its frame under a window manager) and focuses the window. */
  async raiseWindow(windowId: string): Promise<void> {
    const wid = Number(windowId);
    this.conn.x.RaiseWindow(await this.topLevel(wid));
    this.conn.x.SetInputFocus(wid, 1);
    await this.conn.sync();
  }

  /**
   * QueryPointer on the root names the top-level child the pointer is over, as the server stacks windows now.
   * Asked on this connection after the pointer moved on robotjs's, so the caller must have made a round trip
   * on robotjs's connection first (the motion is then processed).
   */
  async isUnderPointer(windowId: string): Promise<boolean> {
    try {
      const [top, pointer] = await Promise.all([
        this.topLevel(Number(windowId)),
        this.conn.call<{ child: number }>((cb) => this.conn.x.QueryPointer(this.conn.root, cb)),
      ]);
      return pointer.child === top;
    } catch {
      return false;
    }
  }

  private async topLevel(wid: number): Promise<number> {
    let current = wid;
    for (let depth = 0; depth < 16; depth++) {
      const { parent } = await this.conn.call<{ parent: number }>((cb) => this.conn.x.QueryTree(current, cb));
      if (parent === this.conn.root || parent === 0) return current;
      current = parent;
    }
    return current;
  }

  async activeWindow(): Promise<string | undefined> {
    const { focus } = await this.conn.call<{ focus: number }>((cb) => this.conn.x.GetInputFocus(cb));
    return focus > 1 ? String(focus) : undefined;
  }
}
