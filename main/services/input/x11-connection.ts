import { createClient, type XClient, type XDisplay, type XTest } from 'x11';

/** One X11 connection (pure JS, no native addon) with the few requests PeerDesk needs, as promises. */
export class X11Connection {
  private constructor(
    readonly display: XDisplay,
    readonly xtest: XTest,
  ) {}

  static connect(displayName = process.env.DISPLAY): Promise<X11Connection> {
    return new Promise((resolve, reject) => {
      const client = createClient({ display: displayName }, (err, display) => {
        if (err) return reject(err);
        display.client.require('xtest', (e, xtest) => (e ? reject(e) : resolve(new X11Connection(display, xtest))));
      });
      client.on('error', (err) => reject(err));
    });
  }

  get x(): XClient {
    return this.display.client;
  }

  get root(): number {
    return this.display.screen[0].root;
  }

  call<T>(fn: (cb: (err: Error | null, v: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
  }

  /** A round trip: every request sent before it has been processed by the server. */
  sync(): Promise<void> {
    return this.call<{ focus: number }>((cb) => this.x.GetInputFocus(cb)).then(() => undefined);
  }

  close(): void {
    this.x.terminate();
  }
}
