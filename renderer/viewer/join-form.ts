import { parseInvite, normalizeCode, withoutPin } from '../format';
import { h } from '../ui/dom';
import { signInStatus } from './sign-in-status';

export interface JoinDetails {
  code: string;
  pin: string;
  name: string;
}

const NAME_KEY = 'peerdesk.viewerName';

/** Code + PIN + name, pre-filled from an invite link (`#join?code=…&pin=…`). */
export function joinForm(
  onSubmit: (d: JoinDetails) => void,
  error?: string,
  defaultName = '',
  /** What was sent when `error` came back: the code stays, so only what was wrong is typed again. */
  previous?: JoinDetails,
): HTMLElement {
  const invite = parseInvite(location.hash);
  if (invite.pin) history.replaceState(history.state, '', withoutPin(location.href));
  const code = h('input', {
    id: 'join-code',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'off',
    required: true,
    pattern: '[0-9 \\-]{9,13}',
    value: previous?.code ?? invite.code ?? '',
  });
  const pin = pinInput(invite.pin ?? '');
  const name = h('input', {
    id: 'join-name',
    name: 'name',
    autocomplete: 'name',
    required: true,
    maxLength: 64,
    value: localStorage.getItem(NAME_KEY) ?? defaultName,
  });
  const form = h(
    'form',
    {
      class: 'card join-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          localStorage.setItem(NAME_KEY, name.value.trim());
          onSubmit({ code: normalizeCode(code.value), pin: pin.value.trim(), name: name.value.trim() });
        },
      },
    },
    h('h2', {}, 'Connect to someone’s screen'),
    error ? h('p', { class: 'error', role: 'alert', id: 'join-error' }, error) : null,
    signInStatus(name),
    h('label', {}, 'Session code', code),
    h('label', {}, 'PIN', pin),
    h('label', {}, 'Your name (shown to them)', name),
    h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit', id: 'join-submit' }, 'Connect')),
  );
  queueMicrotask(() => (previous?.code ? pin : invite.code && invite.pin ? name : code).focus());
  return form;
}

/**
 * The PIN field. People read a PIN out in groups and paste "580 455" or "580-455": keep the digits (a maxLength would
 * cut the pasted text before they could be kept).
 */
function pinInput(value: string): HTMLInputElement {
  const pin = h('input', {
    id: 'join-pin',
    name: 'pin',
    inputmode: 'numeric',
    autocomplete: 'off',
    required: true,
    pattern: '[0-9]{6}',
    value,
  });
  pin.addEventListener('input', () => {
    const digits = pin.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== pin.value) pin.value = digits;
  });
  return pin;
}
