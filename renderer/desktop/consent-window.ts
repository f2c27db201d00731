import { CONTROL_PROMPT_INPUT_DELAY_MS, type PeerDeskHostApi } from '../../protocol/host-api';
import { verifiedIdentitySchema } from '../../protocol/signaling-messages';
import { h, mount } from '../ui/dom';
import { type Asker, askerTitle, identityPanel } from '../ui/technician-identity';

/** Main opens the window with `viewer` and, for a signed-in technician, `identity` (JSON) in its query. */
export function askerFromParams(params: URLSearchParams): Asker {
  let identity: unknown;
  try {
    identity = JSON.parse(params.get('identity') ?? 'null') ?? undefined;
  } catch {
    identity = undefined;
  }
  // Anything that is not exactly an identity counts as none: shown as not verified, never the other way round.
  const parsed = verifiedIdentitySchema.safeParse(identity);
  return { name: params.get('viewer') ?? 'Someone', identity: parsed.success ? parsed.data : undefined };
}

/**
 * The remote-control consent window (desktop app only; main opens it always on top).
 * Deny has the focus, so a stray Enter never grants; Allow stays disabled for a
 * moment after the window appears, so a click already on its way cannot grant.
 */
export function consentWindow(root: HTMLElement, api: PeerDeskHostApi | undefined, asker: Asker): void {
  document.body.dataset.screen = 'consent';
  document.title = 'Allow remote control?';
  let answered = false;
  const answer = (allow: boolean) => {
    if (answered) return;
    answered = allowButton.disabled = denyButton.disabled = dontAsk.disabled = true;
    api?.answerControlPrompt?.(allow, !allow && dontAsk.checked);
  };
  const dontAsk = h('input', { type: 'checkbox', id: 'dont-ask-again' });
  const allowButton = h(
    'button',
    { class: 'primary', id: 'allow-control', disabled: true, on: { click: () => answer(true) } },
    'Allow control',
  );
  const denyButton = h('button', { class: 'secondary', id: 'deny-control', on: { click: () => answer(false) } }, 'Deny');
  mount(
    root,
    h(
      'section',
      {
        class: 'card prompt consent-window',
        role: 'alertdialog',
        'aria-labelledby': 'consent-title',
        'aria-describedby': 'consent-warning',
      },
      h('h2', { id: 'consent-title' }, ...askerTitle(asker), ' wants to control your mouse and keyboard'),
      identityPanel(asker),
      h('p', {}, 'If you allow it, they can move your mouse, click and type on this computer as if they sat in front of it.'),
      h(
        'p',
        { class: 'warning', id: 'consent-warning' },
        'Only allow someone you contacted yourself — support staff never call you first.',
      ),
      h('p', { class: 'hint' }, 'You can take control back at any moment from the PeerDesk bar or the tray icon.'),
      h('label', { class: 'check' }, dontAsk, ' Don’t ask again this session (Deny)'),
      h('div', { class: 'actions' }, denyButton, allowButton),
    ),
  );
  denyButton.focus();
  document.addEventListener('keydown', (e) => e.key === 'Escape' && answer(false));
  // The wait starts when the host can actually see the prompt.
  const arm = () => setTimeout(() => (allowButton.disabled = answered), CONTROL_PROMPT_INPUT_DELAY_MS);
  if (document.visibilityState === 'visible') arm();
  else document.addEventListener('visibilitychange', arm, { once: true });
}
