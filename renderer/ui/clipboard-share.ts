import { MAX_CLIPBOARD_BYTES } from '../../protocol/toolkit-messages';
import type { ToolkitChannel } from '../net/toolkit-channel';
import type { SessionLog } from '../session/session-log';
import { h } from './dom';

export interface ClipboardIo {
  read(): Promise<string>;
  write(text: string): Promise<void>;
}

/** How often "Automatically" looks at this side's clipboard (no browser or OS event says it changed). */
export const CLIPBOARD_POLL_MS = 1000;

/**
 * Clipboard text, only while the host has turned it on for this session (it starts off): one click at a time, or
 * automatically — each side may tick "Automatically", and then new text copied on that side is sent on its own.
 * The host's side decides; the viewer's side only follows what the host announced, and the host refuses anything that
 * arrives while it is off. Text only, at most MAX_CLIPBOARD_BYTES.
 */
export class ClipboardShare {
  readonly element: HTMLElement;
  private enabled = false;
  private auto = false;
  private autoTimer?: ReturnType<typeof setInterval>;
  /** The clipboard text last sent or received: never sent (back) again by the automatic mode. */
  private lastSeen?: string;
  /** The automatic mode's first successful read only notes what was already there (a page may not read at once). */
  private baselinePending = false;
  private readonly autoBox = h('input', {
    type: 'checkbox',
    id: 'clipboard-auto',
    on: { change: () => void this.setAuto(this.autoBox.checked) },
  });
  private readonly autoLabel = h(
    'label',
    { class: 'check', title: 'Send new clipboard text as soon as you copy it' },
    this.autoBox,
    ' Automatically',
  );
  private readonly status = h('span', { class: 'clipboard-status', id: 'clipboard-status', role: 'status' });
  private readonly sendButton = h(
    'button',
    { class: 'secondary', id: 'send-clipboard', on: { click: () => void this.send() } },
    'Send my clipboard',
  );
  private readonly unsubscribe: () => void;

  constructor(
    private readonly toolkit: ToolkitChannel,
    private readonly role: 'host' | 'viewer',
    private readonly io: ClipboardIo,
    private readonly log?: SessionLog,
  ) {
    const parts: HTMLElement[] = [];
    if (role === 'host') {
      const toggle = h('input', { type: 'checkbox', id: 'clipboard-enabled', on: { change: () => this.setEnabled(toggle.checked) } });
      parts.push(h('label', { class: 'check' }, toggle, ' Share clipboard text this session'));
    }
    this.element = h('div', { class: 'clipboard-share', id: 'clipboard-share' }, ...parts, this.sendButton, this.autoLabel, this.status);
    this.unsubscribe = toolkit.on((m) => {
      if (m.t === 'clipboard.policy' && role === 'viewer') this.apply(m.enabled);
      if (m.t === 'clipboard') void this.receive(m.text);
    });
    this.apply(false);
  }

  /** Host only: turns sharing on or off and tells the viewer. */
  private setEnabled(on: boolean): void {
    this.apply(on);
    this.toolkit.send({ t: 'clipboard.policy', enabled: on });
    this.log?.record('clipboard', on ? 'Clipboard sharing turned on' : 'Clipboard sharing turned off', { enabled: on });
  }

  private apply(on: boolean): void {
    this.enabled = on;
    this.sendButton.hidden = !on;
    this.autoLabel.hidden = !on;
    if (!on && this.auto) void this.setAuto(false);
    const off = !on && this.role === 'viewer';
    this.status.textContent = off ? 'Clipboard off' : '';
    this.status.title = off ? 'The person you help can turn clipboard sharing on for this session' : '';
  }

  /**
   * Automatic mode: what is on the clipboard when it is turned on stays here; only text copied afterwards goes. A
   * page reads its clipboard only while it has focus, so the viewer's side looks when it does (e.g. right after the
   * technician switches back from the app they copied in).
   */
  private async setAuto(on: boolean): Promise<void> {
    this.auto = on;
    this.autoBox.checked = on;
    clearInterval(this.autoTimer);
    this.autoTimer = undefined;
    if (!on) return;
    this.baselinePending = true;
    await this.sendIfNew();
    this.autoTimer = setInterval(() => void this.sendIfNew(), CLIPBOARD_POLL_MS);
    this.log?.record('clipboard', 'Automatic clipboard sending turned on', { auto: true });
  }

  private async sendIfNew(): Promise<void> {
    if (!this.enabled || !this.auto || (this.role === 'viewer' && !document.hasFocus())) return;
    const text = await this.io.read().catch(() => undefined);
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

  private async send(given?: string, how = ''): Promise<void> {
    if (!this.enabled) return;
    let text: string;
    try {
      text = given ?? (await this.io.read());
    } catch {
      return this.say('Could not read your clipboard (the browser may need permission).');
    }
    if (!text) return this.say('Your clipboard holds no text.');
    if (new TextEncoder().encode(text).length > MAX_CLIPBOARD_BYTES)
      return this.say(`Too large: at most ${MAX_CLIPBOARD_BYTES / 1024} KiB of text.`);
    if (!this.toolkit.send({ t: 'clipboard', text })) return this.say('Not sent: the connection is not open.');
    this.lastSeen = text;
    const detail = `${text.length} characters${how ? `, ${how}` : ''}`;
    this.say(`Sent ${detail}.`);
    this.log?.record('clipboard', `Clipboard text sent (${detail})`, { direction: 'sent', characters: text.length, auto: Boolean(how) });
  }

  private async receive(text: string): Promise<void> {
    if (!this.enabled) {
      this.log?.record('clipboard', 'Clipboard text refused: sharing is off');
      return this.say('Clipboard text arrived while sharing is off: refused.');
    }
    try {
      await this.io.write(text);
      // What arrived is on this clipboard now: the automatic mode must not send it straight back.
      this.lastSeen = text;
      this.baselinePending = false;
    } catch {
      return this.say('Clipboard text arrived but could not be copied (the browser may need focus or permission).');
    }
    this.say(`Received ${text.length} characters — they are on your clipboard.`);
    this.log?.record('clipboard', `Clipboard text received (${text.length} characters)`, {
      direction: 'received',
      characters: text.length,
    });
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  dispose(): void {
    clearInterval(this.autoTimer);
    this.unsubscribe();
  }
}
