import type { XEvent } from 'x11';
import { X11Connection } from '../../main/services/input/x11-connection';

const POINTER_MOTION = 0x40;
const KEY_PRESS = 0x01;
const KEY_RELEASE = 0x02;
const now = () => performance.timeOrigin + performance.now();

/**
 * Tells when the X server delivers a pointer move or a key event, as it happens: every window on
 * the screen is asked for its motion and key events on a connection of our own. Event-driven, so
 * the measurement does not spin a core polling (which on two cores slowed what it measured).
 */
export class XInputWatch {
  private waiters: Array<{ match: (ev: XEvent) => boolean; resolve: (at: number) => void }> = [];

  private constructor(private readonly conn: X11Connection) {
    conn.x.on('event', (ev) => {
      const at = now();
      this.waiters = this.waiters.filter((w) => !(w.match(ev) && (w.resolve(at), true)));
    });
  }

  static async start(display: string): Promise<XInputWatch> {
    const conn = await X11Connection.connect(display);
    const watch = new XInputWatch(conn);
    await watch.selectTree(conn.root);
    return watch;
  }

  /** Windows appear and disappear between variants: call again before measuring. */
  async selectTree(wid: number = this.conn.root): Promise<void> {
    this.conn.x.ChangeWindowAttributes(wid, { eventMask: POINTER_MOTION | KEY_PRESS | KEY_RELEASE });
    const { children } = await this.conn.call<{ children: number[] }>((cb) => this.conn.x.QueryTree(wid, cb));
    for (const child of children) await this.selectTree(child);
  }

  /** Resolves with the arrival time of the first event that matches; register before causing it. */
  next(match: (ev: XEvent) => boolean, timeoutMs = 3000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching X event')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  close(): void {
    this.conn.close();
  }
}
