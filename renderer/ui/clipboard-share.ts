import { MAX_CLIPBOARD_BYTES } from '../../protocol/toolkit-messages';
import type { ToolkitChannel } from '../net/toolkit-channel';
import type { SessionLog } from '../session/session-log';
import { h } from './dom';

export interface ClipboardIo {
  read(): Promise<string>;
  write(text: string): Promise<void>;
}

/**
 * Clipboard text, one click at a time, only while the host has turned it on for this session (it starts off). The
 * host's side decides; the viewer's side only follows what the host announced, and the host refuses anything that
 * arrives while it is off. Text only, at most MAX_CLIPBOARD_BYTES.
 */
export class ClipboardShare {
  readonly element: HTMLElement;
  private enabled = false;
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
    this.element = h('div', { class: 'clipboard-share', id: 'clipboard-share' }, ...parts, this.sendButton, this.status);
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
    const off = !on && this.role === 'viewer';
    this.status.textContent = off ? 'Clipboard off' : '';
    this.status.title = off ? 'The person you help can turn clipboard sharing on for this session' : '';
  }

  private async send(): Promise<void> {
    if (!this.enabled) return;
    let text: string;
    try {
      text = await this.io.read();
    } catch {
      return this.say('Could not read your clipboard (the browser may need permission).');
    }
    if (!text) return this.say('Your clipboard holds no text.');
    if (new TextEncoder().encode(text).length > MAX_CLIPBOARD_BYTES)
      return this.say(`Too large: at most ${MAX_CLIPBOARD_BYTES / 1024} KiB of text.`);
    if (!this.toolkit.send({ t: 'clipboard', text })) return this.say('Not sent: the connection is not open.');
    this.say(`Sent ${text.length} characters.`);
    this.log?.record('clipboard', `Clipboard text sent (${text.length} characters)`, { direction: 'sent', characters: text.length });
  }

  private async receive(text: string): Promise<void> {
    if (!this.enabled) {
      this.log?.record('clipboard', 'Clipboard text refused: sharing is off');
      return this.say('Clipboard text arrived while sharing is off: refused.');
    }
    try {
      await this.io.write(text);
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
    this.unsubscribe();
  }
}
