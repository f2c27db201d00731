import { MAX_CLIPBOARD_BYTES, type ToolkitMessage } from '../../protocol/toolkit-messages';
import type { LogEvent, LogKind } from '../session/session-log';

export interface ClipboardIo {
  read(): Promise<string>;
  write(text: string): Promise<void>;
  /** The host's side only (desktop app): main holds the session's clipboard permission and refuses while it is off. */
  setSharing?(on: boolean): Promise<void>;
}

/** How often "Automatically" looks at this side's clipboard (no browser or OS event says it changed). */
export const CLIPBOARD_POLL_MS = 1000;

export interface ClipboardPolicyDeps {
  toolkit: { send(message: ToolkitMessage): boolean; on(listener: (message: ToolkitMessage) => void): () => void };
  role: 'host' | 'viewer';
  io: ClipboardIo;
  log?: { record(kind: LogKind, text: string, detail?: LogEvent['detail']): void };
  /** A page reads its clipboard only while it has focus: the viewer's automatic mode looks only then. */
  hasFocus?: () => boolean;
}

/** What the panel shows. */
export interface ClipboardState {
  enabled: boolean;
  auto: boolean;
  status: string;
}

/**
 * The clipboard's rules, without the page: text is shared only while the host has turned it on for this session
 * (it starts off), one send at a time or automatically. The host's side decides (and main enforces it again); the
 * viewer's side only follows what the host announced, and refuses anything that arrives while it is off. Text
 * only, at most MAX_CLIPBOARD_BYTES; in automatic mode, what was on the clipboard before and what just arrived is
 * never sent (back).
 */
export class ClipboardPolicy {
  private readonly listeners = new Set<(state: ClipboardState) => void>();
  private current: ClipboardState = { enabled: false, auto: false, status: '' };
  private autoTimer?: ReturnType<typeof setInterval>;
  /** The clipboard text last sent or received: never sent (back) again by the automatic mode. */
  private lastSeen?: string;
  /** The automatic mode's first successful read only notes what was already there (a page may not read at once). */
  private baselinePending = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: ClipboardPolicyDeps) {
    this.unsubscribe = deps.toolkit.on((m) => {
      if (m.t === 'clipboard.policy' && deps.role === 'viewer') this.apply(m.enabled);
      if (m.t === 'clipboard') void this.receive(m.text);
    });
    this.apply(false);
  }

  get state(): ClipboardState {
    return this.current;
  }

  onChange(listener: (state: ClipboardState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Host only: main agrees first (it holds the permission), then the viewer is told. */
  async setEnabled(on: boolean): Promise<void> {
    if (this.deps.role !== 'host') return;
    if (!on) this.apply(false);
    try {
      await this.deps.io.setSharing?.(on);
    } catch {
      if (on) return this.update({ status: 'Clipboard sharing could not be turned on.' });
    }
    if (on) this.apply(true);
    this.deps.toolkit.send({ t: 'clipboard.policy', enabled: on });
    this.deps.log?.record('clipboard', on ? 'Clipboard sharing turned on' : 'Clipboard sharing turned off', { enabled: on });
  }

  /**
   * Automatic mode: what is on the clipboard when it is turned on stays here; only text copied afterwards goes. A
   * page reads its clipboard only while it has focus, so the viewer's side looks when it does (e.g. right after the
   * technician switches back from the app they copied in).
   */
  async setAuto(on: boolean): Promise<void> {
    clearInterval(this.autoTimer);
    this.autoTimer = undefined;
    on &&= this.current.enabled;
    this.update({ auto: on });
    if (!on) return;
    this.baselinePending = true;
    await this.sendIfNew();
    this.autoTimer = setInterval(() => void this.sendIfNew(), CLIPBOARD_POLL_MS);
    this.deps.log?.record('clipboard', 'Automatic clipboard sending turned on', { auto: true });
  }

  /** One look at the clipboard in automatic mode (the timer calls it; so may a test). */
  async sendIfNew(): Promise<void> {
    const { enabled, auto } = this.current;
    if (!enabled || !auto || (this.deps.role === 'viewer' && this.deps.hasFocus && !this.deps.hasFocus())) return;
    const text = await this.deps.io.read().catch(() => undefined);
    if (text === undefined) return;
    if (this.baselinePending) {
      this.baselinePending = false;
      this.lastSeen = text;
      return;
    }
    if (!text || text === this.lastSeen) return;
    this.lastSeen = text;
    await this.send(text, 'automatically');
  }

  /** "Send my clipboard", or the automatic mode with what it read. */
  async send(given?: string, how = ''): Promise<void> {
    if (!this.current.enabled) return;
    let text: string;
    try {
      text = given ?? (await this.deps.io.read());
    } catch {
      return this.say('Could not read your clipboard (the browser may need permission).');
    }
    if (!text) return this.say('Your clipboard holds no text.');
    if (new TextEncoder().encode(text).length > MAX_CLIPBOARD_BYTES)
      return this.say(`Too large: at most ${MAX_CLIPBOARD_BYTES / 1024} KiB of text.`);
    if (!this.deps.toolkit.send({ t: 'clipboard', text })) return this.say('Not sent: the connection is not open.');
    this.lastSeen = text;
    const detail = `${text.length} characters${how ? `, ${how}` : ''}`;
    this.say(`Sent ${detail}.`);
    this.deps.log?.record('clipboard', `Clipboard text sent (${detail})`, {
      direction: 'sent',
      characters: text.length,
      auto: Boolean(how),
    });
  }

  private async receive(text: string): Promise<void> {
    if (!this.current.enabled) {
      this.deps.log?.record('clipboard', 'Clipboard text refused: sharing is off');
      return this.say('Clipboard text arrived while sharing is off: refused.');
    }
    try {
      await this.deps.io.write(text);
      // What arrived is on this clipboard now: the automatic mode must not send it straight back.
      this.lastSeen = text;
      this.baselinePending = false;
    } catch {
      return this.say('Clipboard text arrived but could not be copied (the browser may need focus or permission).');
    }
    this.say(`Received ${text.length} characters — they are on your clipboard.`);
    this.deps.log?.record('clipboard', `Clipboard text received (${text.length} characters)`, {
      direction: 'received',
      characters: text.length,
    });
  }

  private apply(on: boolean): void {
    const off = !on && this.deps.role === 'viewer';
    this.update({ enabled: on, status: off ? 'Clipboard off' : '' });
    if (!on && this.current.auto) void this.setAuto(false);
  }

  private say(status: string): void {
    this.update({ status });
  }

  private update(change: Partial<ClipboardState>): void {
    this.current = { ...this.current, ...change };
    for (const l of this.listeners) l(this.current);
  }

  dispose(): void {
    clearInterval(this.autoTimer);
    this.unsubscribe();
    this.listeners.clear();
  }
}
