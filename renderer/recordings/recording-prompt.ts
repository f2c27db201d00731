import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import { h } from '../ui/dom';
import { type Asker, askerTitle, identityPanel } from '../ui/technician-identity';

/**
 * The person's own prompt for a recording, apart from view and control consent: who asks (verified, or a typed
 * name with its warning), what a recording holds and where it goes. Deny has focus and Allow waits a moment, so a
 * click or Enter already on its way cannot agree.
 */
export function recordingPrompt(asker: Asker, onAllow: () => void, onDeny: () => void): HTMLElement {
  const allow = h('button', { class: 'primary', id: 'allow-recording', disabled: true, on: { click: () => onAllow() } }, 'Allow');
  const deny = h('button', { class: 'secondary', id: 'deny-recording', on: { click: () => onDeny() } }, 'Deny');
  const element = h(
    'section',
    {
      class: 'card prompt recording-prompt',
      role: 'alertdialog',
      'aria-labelledby': 'recording-title',
      'aria-describedby': 'recording-what',
    },
    h('h2', { id: 'recording-title' }, ...askerTitle(asker), ' wants to record this session'),
    identityPanel(asker),
    h('p', { id: 'recording-what' }, 'Recorded: the video of what you share, their marks and the chat — saved on their side.'),
    h(
      'p',
      {},
      'A red “Recording” mark stays on your sharing bar for the whole time; its Stop ends the recording at any moment. Sharing something else, taking control back or ending the session stops it too.',
    ),
    h('div', { class: 'actions' }, deny, allow),
  );
  queueMicrotask(() => deny.focus());
  setTimeout(() => (allow.disabled = !element.isConnected), CONTROL_PROMPT_INPUT_DELAY_MS);
  return element;
}
