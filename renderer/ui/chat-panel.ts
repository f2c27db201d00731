import { displayName, displayText } from '../../common/display-text';
import { MAX_CHAT_CHARS } from '../../protocol/toolkit-messages';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { h } from './dom';

const time = (epochMs: number) => new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The chat side panel, the same for both roles: who wrote, when, and the text — always as text (textContent),
 * never as markup. A toggle button carries the count of messages that arrived while the panel was closed.
 */
export class ChatPanel {
  readonly toggle: HTMLButtonElement;
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'chat-list', id: 'chat-list', 'aria-live': 'polite' });
  private readonly badge = h('span', { class: 'badge', id: 'chat-unread', hidden: true }, '0');
  private readonly input = h('textarea', {
    id: 'chat-input',
    rows: 2,
    maxlength: MAX_CHAT_CHARS,
    placeholder: 'Write a message',
    'aria-label': 'Chat message',
  });
  private unread = 0;
  private readonly unsubscribe: () => void;

  /** `docked`: in the page's flow (the host's sharing screen, whose Stop must never be covered) instead of floating. */
  constructor(
    private readonly channel: ToolkitChannel,
    private readonly otherName: string,
    docked = false,
  ) {
    this.toggle = h(
      'button',
      { class: 'secondary', id: 'toggle-chat', on: { click: () => this.setOpen(Boolean(this.element.hidden)) } },
      'Chat ',
      this.badge,
    );
    const form = h(
      'form',
      { class: 'chat-form', on: { submit: (e) => (e.preventDefault(), this.send()) } },
      this.input,
      h('button', { class: 'primary', id: 'chat-send', type: 'submit' }, 'Send'),
    );
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.send();
      }
    });
    this.element = h(
      'aside',
      { class: docked ? 'chat docked' : 'chat', id: 'chat-panel', hidden: true, 'aria-label': 'Chat' },
      h('h3', {}, 'Chat'),
      this.list,
      form,
    );
    this.unsubscribe = channel.on((m) => m.t === 'chat' && this.append(this.otherName, m.text, m.sentAt, 'theirs'));
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
    if (!open) return;
    this.unread = 0;
    this.badge.hidden = true;
    this.input.focus();
  }

  private send(): void {
    const text = this.input.value.trim().slice(0, MAX_CHAT_CHARS);
    if (!text) return;
    const sentAt = Date.now();
    if (!this.channel.send({ t: 'chat', text, sentAt })) return this.note('Not sent: the connection is not open.');
    this.input.value = '';
    this.append('You', text, sentAt, 'mine');
  }

  private append(who: string, text: string, sentAt: number, side: 'mine' | 'theirs'): void {
    // Text nodes only: a message is never parsed as HTML; and through the display rule (no direction overrides,
    // invisible characters or bells).
    this.list.append(
      h(
        'li',
        { class: `chat-message ${side}` },
        h('span', { class: 'chat-meta' }, `${displayName(who)} · ${time(sentAt)}`),
        h('p', {}, displayText(text)),
      ),
    );
    this.list.lastElementChild?.scrollIntoView({ block: 'end' });
    if (side === 'theirs' && this.element.hidden) {
      this.unread += 1;
      this.badge.textContent = String(this.unread);
      this.badge.hidden = false;
    }
  }

  private note(text: string): void {
    this.list.append(h('li', { class: 'chat-note' }, text));
  }

  dispose(): void {
    this.unsubscribe();
  }
}
