// The parts of the `x11` package (pure-JS X11 client) PeerDesk uses; it ships no types.
declare module 'x11' {
  type Cb<T> = (err: Error | null, value: T) => void;
  export interface XClient {
    GetKeyboardMapping(first: number, count: number, cb: Cb<number[][]>): void;
    ChangeKeyboardMapping(first: number, perKeycode: number, keysyms: number[]): void;
    GetGeometry(drawable: number, cb: Cb<{ xPos: number; yPos: number; width: number; height: number }>): void;
    TranslateCoordinates(src: number, dst: number, x: number, y: number, cb: Cb<{ destX: number; destY: number; child: number }>): void;
    GetInputFocus(cb: Cb<{ focus: number }>): void;
    GetWindowAttributes(wid: number, cb: Cb<{ mapState: number }>): void;
    SetInputFocus(wid: number, revertTo: number): void;
    RaiseWindow(wid: number): void;
    QueryTree(wid: number, cb: Cb<{ parent: number; root: number; children: number[] }>): void;
    QueryKeymap(cb: Cb<Buffer>): void;
    QueryPointer(wid: number, cb: Cb<{ root: number; child: number; rootX: number; rootY: number; keyMask: number }>): void;
    GetImage(
      format: number,
      drawable: number,
      x: number,
      y: number,
      w: number,
      h: number,
      planeMask: number,
      cb: Cb<{ data: Buffer }>,
    ): void;
    ChangeWindowAttributes(wid: number, values: { eventMask?: number }): void;
    require(ext: 'xtest', cb: Cb<XTest>): void;
    require(ext: 'damage', cb: Cb<XDamage>): void;
    AllocID(): number;
    on(event: 'error', listener: (err: Error) => void): void;
    on(event: 'event', listener: (ev: XEvent) => void): void;
    terminate(): void;
  }
  export interface XEvent {
    name: string;
    wid: number;
    rootx?: number;
    rooty?: number;
    keycode?: number;
    /** DamageNotify: the damaged rectangle, in the drawable's coordinates. */
    area?: { x: number; y: number; w: number; h: number };
  }
  export interface XDamage {
    ReportLevel: { RawRectangles: number };
    Create(damage: number, drawable: number, level: number): void;
  }
  export interface XTest {
    KeyPress: number;
    KeyRelease: number;
    FakeInput(type: number, detail: number, time: number, wid: number, x: number, y: number): void;
  }
  export interface XDisplay {
    client: XClient;
    min_keycode: number;
    max_keycode: number;
    screen: Array<{ root: number }>;
  }
  export function createClient(options: { display?: string }, cb: Cb<XDisplay>): XClient;
}
