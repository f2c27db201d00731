import type { PlatformNotice } from '../../protocol/settings';
import { groupCode } from '../format';
import { h } from '../ui/dom';

export interface ReadyCardInput {
  session: { code: string; pin: string; inviteUrl: string };
  notice?: string;
  lanUrl?: string;
  notices: PlatformNotice[];
  /** The browser host page's "Only verified technicians" controls. */
  gate?: HTMLElement;
  onEnd: () => void;
}

/** "Give these to your technician": the code, the PIN, the invite link, and what the platform needs first. */
export function readyCard({ session, notice, lanUrl, notices, gate, onEnd }: ReadyCardInput): HTMLElement {
  const copy = h('button', { class: 'secondary', on: { click: () => void copyInvite(copy, session.inviteUrl) } }, 'Copy invite link');
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Give these to your technician'),
    notice ? h('p', { class: 'notice' }, notice) : null,
    h(
      'div',
      { class: 'code-block' },
      h('span', { class: 'label' }, 'Session code'),
      h('output', { id: 'session-code', class: 'code' }, groupCode(session.code)),
    ),
    h(
      'div',
      { class: 'code-block' },
      h('span', { class: 'label' }, 'PIN'),
      h('output', { id: 'session-pin', class: 'code pin' }, session.pin),
    ),
    h('p', { class: 'hint' }, 'Waiting for your technician to connect. Nothing is shared until you allow it.'),
    lanUrl
      ? h('p', { class: 'hint', id: 'lan-url' }, 'A technician on this network can also open ', h('strong', {}, lanUrl), ' in a browser.')
      : null,
    ...notices.map((n) =>
      h(
        'div',
        { class: n.severity === 'blocker' ? 'error' : 'notice', dataset: { notice: n.id } },
        h('strong', {}, n.title),
        h('p', {}, n.body),
      ),
    ),
    gate ?? null,
    h('div', { class: 'actions' }, copy, h('button', { class: 'danger', on: { click: onEnd } }, 'End session')),
  );
}

/** How long "Copied" stays before the button reads "Copy invite link" again. */
export const COPIED_FEEDBACK_MS = 2000;

async function copyInvite(button: HTMLButtonElement, inviteUrl: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(inviteUrl);
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy invite link'), COPIED_FEEDBACK_MS);
  } catch {
    button.textContent = 'Copy failed — select the link below';
    button.after(h('input', { class: 'invite', readonly: true, value: inviteUrl }));
  }
}
