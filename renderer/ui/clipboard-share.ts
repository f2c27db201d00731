import type { ToolkitChannel } from '../net/toolkit-channel';
import type { SessionLog } from '../session/session-log';
import { type ClipboardIo, ClipboardPolicy, type ClipboardState } from './clipboard-policy';
import { h } from './dom';

/**
 * The clipboard panel both roles share: the host's "Share clipboard text this session" toggle, "Send my
 * clipboard", "Automatically" and a status line. Every rule lives in ClipboardPolicy (and, for the host, again in
 * main's ClipboardService); this only shows its state and passes clicks on.
 */
export class ClipboardShare {
  readonly element: HTMLElement;
  readonly policy: ClipboardPolicy;
  private readonly enabledBox = h('input', {
    type: 'checkbox',
    id: 'clipboard-enabled',
    on: { change: () => void this.policy.setEnabled(this.enabledBox.checked) },
  });
  private readonly autoBox = h('input', {
    type: 'checkbox',
    id: 'clipboard-auto',
    on: { change: () => void this.policy.setAuto(this.autoBox.checked) },
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
    { class: 'secondary', id: 'send-clipboard', on: { click: () => void this.policy.send() } },
    'Send my clipboard',
  );

  constructor(toolkit: ToolkitChannel, role: 'host' | 'viewer', io: ClipboardIo, log?: SessionLog) {
    this.policy = new ClipboardPolicy({ toolkit, role, io, log, hasFocus: () => document.hasFocus() });
    const toggle = role === 'host' ? [h('label', { class: 'check' }, this.enabledBox, ' Share clipboard text this session')] : [];
    this.element = h('div', { class: 'clipboard-share', id: 'clipboard-share' }, ...toggle, this.sendButton, this.autoLabel, this.status);
    this.policy.onChange((state) => this.render(state));
    this.render(this.policy.state);
  }

  private render({ enabled, auto, status }: ClipboardState): void {
    this.enabledBox.checked = enabled;
    this.autoBox.checked = auto;
    this.sendButton.hidden = !enabled;
    this.autoLabel.hidden = !enabled;
    this.status.textContent = status;
    this.status.title = status === 'Clipboard off' ? 'The person you help can turn clipboard sharing on for this session' : '';
  }

  dispose(): void {
    this.policy.dispose();
  }
}
