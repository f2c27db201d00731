import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import { h } from '../ui/dom';
import { type Asker, askerTitle, identityPanel } from '../ui/technician-identity';

export interface ViewPrompt {
  element: HTMLElement;
  /**
   * Call once the prompt is on screen: focuses Deny and arms Allow after the input delay, and not before there is
   * something to share (`ready`, the picker's list).
   */
  shown(stillOpen: () => boolean, ready: Promise<boolean>): void;
}

/**
 * Consent prompt 1: someone wants to see the screen. Says what Allow gives them, shows who asks — a verified
 * technician as verified, a typed name as a claim, never alike — focuses Deny, and keeps Allow disabled for a moment so a click or Enter already on its way cannot share.
 */
export function viewPrompt(
  asker: Asker,
  picker: HTMLElement,
  preview: HTMLElement | undefined,
  onAllow: (button: HTMLButtonElement) => void,
  onDeny: () => void,
): ViewPrompt {
  const allow = h('button', { class: 'primary', id: 'allow-view', disabled: true, on: { click: () => onAllow(allow) } }, 'Allow');
  const deny = h('button', { class: 'secondary', id: 'deny-view', on: { click: onDeny } }, 'Deny');
  const element = h(
    'section',
    { class: 'card prompt', role: 'alertdialog', 'aria-labelledby': 'prompt-title', 'aria-describedby': 'prompt-what' },
    h('h2', { id: 'prompt-title' }, ...askerTitle(asker), ' wants to see your screen'),
    identityPanel(asker),
    h(
      'p',
      { id: 'prompt-what' },
      'If you allow it, they will see what you pick below — nothing else. They cannot move your mouse or type unless you allow that separately.',
    ),
    h('p', { class: 'warning' }, 'Only allow someone you contacted yourself — support staff never call you first.'),
    h('h3', {}, 'What to share'),
    picker,
    preview,
    h('div', { class: 'actions' }, deny, allow),
  );
  return {
    element,
    shown(stillOpen, ready) {
      deny.focus();
      const inputDelay = new Promise((resolve) => setTimeout(resolve, CONTROL_PROMPT_INPUT_DELAY_MS));
      void Promise.all([ready, inputDelay]).then(([listed]) => (allow.disabled = !listed || !stillOpen()));
    },
  };
}
