import type { X11Connection } from './x11-connection';

const KEYSYMS_PER_KEYCODE = 4;

/**
 * How long a client gets to take in a new binding before its key arrives. Clients
 * such as Tk look a key up as soon as they read it, before they handle a
 * MappingNotify read in the same batch, and then type the old character (or none).
 * Measured: with no wait 3–5 of 40 strings that rebind came out wrong in a Tk
 * editor; with this wait, none under load. It is paid only when a chunk rebinds.
 */
export const REBIND_SETTLE_MS = 40;

/** Unicode code point → X keysym: Latin-1 keysyms equal the code point, the rest use the 0x01000000 range. */
export const keysymFor = (cp: number) => ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) ? cp : 0x01000000 + cp);

/**
 * Types any Unicode text on X11, fast. Xvfb's (and many real) keymaps lack keysyms
 * for most characters, so robotjs cannot type them. We bind each character to a
 * spare keycode — the same keysym on all four shift levels so no case folding
 * happens — and press it with XTEST. Bindings stay (an LRU over the spare keycodes)
 * instead of being restored at once: a client re-reads the keymap lazily after
 * MappingNotify, and restoring early is what makes `xdotool type` drop characters.
 * `release()` gives the keycodes back when the host stops.
 */
export class X11UnicodeTyper {
  private readonly slots: Array<{ keycode: number; char?: string; used: number }>;
  private tick = 0;

  private constructor(
    private readonly conn: X11Connection,
    spare: number[],
  ) {
    this.slots = spare.map((keycode) => ({ keycode, used: 0 }));
  }

  static async create(conn: X11Connection): Promise<X11UnicodeTyper> {
    const { min_keycode: min, max_keycode: max } = conn.display;
    const map = await conn.call<number[][]>((cb) => conn.x.GetKeyboardMapping(min, max - min + 1, cb));
    const spare = map.flatMap((syms, i) => (syms.every((s) => s === 0) ? [min + i] : []));
    if (spare.length === 0) throw new Error('no spare keycode to type Unicode text with');
    return new X11UnicodeTyper(conn, spare);
  }

  async type(text: string): Promise<void> {
    let chunk: number[] = [];
    let chunkStart = this.tick;
    let changed = false;
    const flush = async () => {
      // The server must have applied new bindings, and clients seen them, before the first key arrives.
      if (changed) {
        await this.conn.sync();
        await new Promise((resolve) => setTimeout(resolve, REBIND_SETTLE_MS));
      }
      for (const keycode of chunk) {
        this.conn.xtest.FakeInput(this.conn.xtest.KeyPress, keycode, 0, 0, 0, 0);
        this.conn.xtest.FakeInput(this.conn.xtest.KeyRelease, keycode, 0, 0, 0, 0);
      }
      await this.conn.sync();
      chunk = [];
      chunkStart = this.tick;
      changed = false;
    };
    for (const ch of text) {
      let slot = this.slotFor(ch);
      // Every slot is bound to a character of this chunk: press those before rebinding one.
      if (slot.char !== ch && slot.used > chunkStart) {
        await flush();
        slot = this.slotFor(ch);
      }
      if (slot.char !== ch) {
        slot.char = ch;
        const keysym = keysymFor(ch.codePointAt(0)!);
        this.conn.x.ChangeKeyboardMapping(slot.keycode, KEYSYMS_PER_KEYCODE, Array(KEYSYMS_PER_KEYCODE).fill(keysym));
        changed = true;
      }
      slot.used = ++this.tick;
      chunk.push(slot.keycode);
    }
    if (chunk.length) await flush();
  }

  /** Unbinds every spare keycode again, so the keymap is as we found it. */
  async release(): Promise<void> {
    for (const slot of this.slots) {
      if (slot.char === undefined) continue;
      this.conn.x.ChangeKeyboardMapping(slot.keycode, KEYSYMS_PER_KEYCODE, Array(KEYSYMS_PER_KEYCODE).fill(0));
      slot.char = undefined;
    }
    await this.conn.sync();
  }

  private slotFor(ch: string) {
    return this.slots.find((s) => s.char === ch) ?? this.slots.reduce((a, b) => (b.used < a.used ? b : a));
  }
}
