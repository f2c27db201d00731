import { displayName } from '../../common/display-text';
import type { PeerDeskHostApi } from '../../protocol/host-api';
import { h, mount } from '../ui/dom';
import { identityTag } from '../ui/technician-identity';

/**
 * The always-on-top strip shown while the host shares (desktop app only): what is
 * shared with whom, whether they control it, and Stop — visible over any app.
 */
export function indicatorWindow(root: HTMLElement, api: PeerDeskHostApi | undefined, params: URLSearchParams): void {
  document.body.dataset.screen = 'indicator';
  const viewer = displayName(params.get('viewer') ?? '') || 'your technician';
  const controlled = params.get('control') === 'granted';
  mount(
    root,
    h(
      'section',
      { class: `indicator${controlled ? ' controlled' : ''}`, role: 'status' },
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      h(
        'span',
        { id: 'indicator-text' },
        controlled
          ? `${viewer} is controlling this computer`
          : `Sharing ${displayName(params.get('source') ?? '') || 'your screen'} with ${viewer}`,
      ),
      // The same distinction as the prompt: a signed-in technician or a typed name. Main sets `verified` from
      // what the host page reported (the server's identity), never from anything the technician sends.
      params.get('verified') === 'yes'
        ? h('span', { class: 'identity-tag verified', id: 'identity-tag' }, '✓ Verified')
        : identityTag({ name: viewer }),
      h('button', { class: 'danger', id: 'indicator-stop', on: { click: () => api?.requestStop?.() } }, 'Stop'),
    ),
  );
}
