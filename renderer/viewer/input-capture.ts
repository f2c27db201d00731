import { type ControlMessage, HELD_KEEPALIVE_MS, type PointerButton } from '../../protocol/control-messages';
import { MovePacer, type PointerPosition } from './move-pacer';
import { normalizePoint } from './pointer-mapping';

const BUTTONS: Record<number, PointerButton> = { 0: 'left', 1: 'middle', 2: 'right' };
/** Pixels of wheel travel per notch sent to the host. */
const PIXELS_PER_NOTCH = 100;
/** At most 250 moves a second: the host's rate limit (400 a second) also has to carry clicks and keys. */
const MIN_MOVE_INTERVAL_MS = 4;

export interface InputSink {
  /** Clicks, keys, text: reliable and ordered. */
  reliable(message: ControlMessage): void;
  /** Pointer moves: may be dropped. */
  fast(message: ControlMessage): void;
}

/**
 * Captures the viewer's mouse and keyboard over the video while control is
 * granted. Moves go out from `pointerrawupdate` where the browser has it: Chromium
 * holds pointermove back for the next animation frame (up to 16 ms, 8 on average),
 * the raw update fires as the move arrives. Pointermove is the fallback (other
 * browsers, or a pointer that sends no raw updates). Keys arrive in an
 * invisible textarea over the video: only an editable element receives IME
 * composition and inserted text (dead keys, emoji pickers, non-Latin input).
 * Leaving the video or losing focus releases everything held on the host. A drag
 * keeps the pointer captured, so its release arrives even when it ends over the
 * toolbar or outside the window; while anything is held a keepalive tells the
 * host's watchdog the press is still meant.
 */
export class InputCapture {
  private readonly abort = new AbortController();
  private readonly keyboard: HTMLTextAreaElement;
  private wheel = { x: 0, y: 0 };
  private composing = false;
  private readonly heldButtons = new Map<number, PointerButton>();
  private readonly heldKeys = new Set<string>();
  private keepalive?: ReturnType<typeof setInterval>;
  private readonly pacer = new MovePacer((at) => this.sendMove(at), MIN_MOVE_INTERVAL_MS);
  /** A raw update came since the last pointermove: that pointermove's position has gone out already. */
  private rawSeen = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly sink: InputSink,
    /**
     * Numbers pointer events (moves, buttons, wheel) in the order they are sent: moves travel unordered, and the host
     * drops one older than a pointer event it already has. The panel keeps one count for every grant of the page.
     */
    private readonly nextSeq: () => number = counter(),
    /** Send moves from raw pointer updates (off for the benchmark's naive baseline, which sends on pointermove). */
    rawMoves = true,
  ) {
    const opts = { signal: this.abort.signal };
    const v = video;
    this.keyboard = Object.assign(document.createElement('textarea'), {
      id: 'remote-keyboard',
      className: 'remote-keyboard',
      autocomplete: 'off',
      spellcheck: false,
    });
    this.keyboard.setAttribute('aria-label', 'Keyboard input for the remote computer');
    v.after(this.keyboard);
    const k = this.keyboard;
    v.addEventListener('pointermove', (e) => this.move(e), opts);
    if (rawMoves && 'onpointerrawupdate' in window) v.addEventListener('pointerrawupdate', (e) => this.rawMove(e as PointerEvent), opts);
    v.addEventListener('pointerdown', (e) => this.button(e, true), opts);
    v.addEventListener('pointerup', (e) => this.button(e, false), opts);
    v.addEventListener('lostpointercapture', (e) => this.lostCapture(e), opts);
    v.addEventListener('wheel', (e) => this.onWheel(e), { ...opts, passive: false });
    v.addEventListener('contextmenu', (e) => e.preventDefault(), opts);
    v.addEventListener('pointerleave', (e) => e.buttons === 0 || this.releaseAll(), opts);
    k.addEventListener('keydown', (e) => this.key(e, true), opts);
    k.addEventListener('keyup', (e) => this.key(e, false), opts);
    k.addEventListener('compositionstart', () => (this.composing = true), opts);
    k.addEventListener('compositionend', (e) => this.composed(e), opts);
    k.addEventListener('beforeinput', (e) => this.inserted(e), opts);
    k.addEventListener('blur', () => this.releaseAll(), opts);
    document.addEventListener('visibilitychange', () => document.hidden && this.releaseAll(), opts);
    v.classList.add('controlling');
    k.focus();
    // Lets Escape, Ctrl+W and friends reach the host where the browser allows it (fullscreen).
    (navigator as Navigator & { keyboard?: { lock?: () => Promise<void> } }).keyboard?.lock?.().catch(() => undefined);
  }

  private point(e: PointerPosition, clamp = false) {
    return normalizePoint(
      e.clientX,
      e.clientY,
      this.video.getBoundingClientRect(),
      { width: this.video.videoWidth, height: this.video.videoHeight },
      clamp,
    );
  }

  private move(e: PointerEvent): void {
    if (this.rawSeen) this.rawSeen = false;
    else this.pacer.offer(e);
  }

  private rawMove(e: PointerEvent): void {
    this.rawSeen = true;
    this.pacer.offer(e);
  }

  private sendMove(at: PointerPosition): void {
    const p = this.point(at);
    if (p) this.sink.fast({ t: 'move', ...p, seq: this.nextSeq() });
  }

  private button(e: PointerEvent, down: boolean): void {
    const button = BUTTONS[e.button];
    // A release maps to the nearest edge wherever it happens: the host must hear every release of a press.
    const p = this.point(e, !down);
    if (!button || !p) return;
    if (!down && !this.heldButtons.has(e.button)) return;
    e.preventDefault();
    this.pacer.cancel();
    this.keyboard.focus();
    if (down) {
      this.video.setPointerCapture(e.pointerId);
      this.heldButtons.set(e.button, button);
    } else this.heldButtons.delete(e.button);
    this.sink.reliable({ t: 'button', button, down, ...p, seq: this.nextSeq() });
    this.updateKeepalive();
  }

  /** Capture lost without a pointerup (the page hid, a system dialog took the pointer): let go of what is held. */
  private lostCapture(e: PointerEvent): void {
    const p = this.point(e, true) ?? { x: 0, y: 0 };
    for (const button of this.heldButtons.values()) this.sink.reliable({ t: 'button', button, down: false, ...p, seq: this.nextSeq() });
    this.heldButtons.clear();
    this.updateKeepalive();
  }

  private updateKeepalive(): void {
    const holding = this.heldButtons.size > 0 || this.heldKeys.size > 0;
    if (holding && !this.keepalive) this.keepalive = setInterval(() => this.sink.reliable({ t: 'keepalive' }), HELD_KEEPALIVE_MS);
    else if (!holding) {
      clearInterval(this.keepalive);
      this.keepalive = undefined;
    }
  }

  private onWheel(e: WheelEvent): void {
    const p = this.point(e);
    if (!p) return;
    e.preventDefault();
    const unit = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 33 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? 800 : 1;
    this.wheel.x += e.deltaX * unit;
    this.wheel.y += e.deltaY * unit;
    const dx = Math.trunc(this.wheel.x / PIXELS_PER_NOTCH);
    const dy = Math.trunc(this.wheel.y / PIXELS_PER_NOTCH);
    if (!dx && !dy) return;
    this.pacer.cancel();
    this.wheel.x -= dx * PIXELS_PER_NOTCH;
    this.wheel.y -= dy * PIXELS_PER_NOTCH;
    const clamp = (n: number) => Math.max(-20, Math.min(20, n));
    this.sink.reliable({ t: 'wheel', dx: clamp(dx), dy: clamp(dy), ...p, seq: this.nextSeq() });
  }

  private key(e: KeyboardEvent, down: boolean): void {
    if (e.isComposing || this.composing || e.key === 'Dead' || e.key === 'Process') return;
    e.preventDefault();
    // AltGr (reported by Windows as Ctrl+Alt) produced this character: it is text, not a shortcut.
    const altGraph = e.getModifierState('AltGraph');
    const mods = { ctrl: e.ctrlKey && !altGraph, alt: e.altKey && !altGraph, shift: e.shiftKey, meta: e.metaKey };
    const code = e.code.replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
    if (down) this.heldKeys.add(code);
    else this.heldKeys.delete(code);
    this.updateKeepalive();
    this.sink.reliable({ t: 'key', code, key: e.key.slice(0, 32) || 'Unidentified', down, mods });
  }

  private composed(e: CompositionEvent): void {
    this.composing = false;
    if (e.data) this.sink.reliable({ t: 'text', text: e.data.slice(0, 256) });
    this.keyboard.value = '';
  }

  /** Text inserted without a key event of its own (IME commit, on-screen keyboards, paste-like input). */
  private inserted(e: InputEvent): void {
    if (e.inputType === 'insertText' && e.data && !this.composing) this.sink.reliable({ t: 'text', text: e.data.slice(0, 256) });
    if (!e.inputType.includes('Composition')) e.preventDefault();
  }

  releaseAll(): void {
    this.heldButtons.clear();
    this.heldKeys.clear();
    this.updateKeepalive();
    this.sink.reliable({ t: 'release-all' });
  }

  dispose(): void {
    this.pacer.cancel();
    this.releaseAll();
    this.abort.abort();
    this.keyboard.remove();
    this.video.classList.remove('controlling');
    (navigator as Navigator & { keyboard?: { unlock?: () => void } }).keyboard?.unlock?.();
  }
}

/** 1, 2, 3, … */
export function counter(): () => number {
  let n = 0;
  return () => ++n;
}
