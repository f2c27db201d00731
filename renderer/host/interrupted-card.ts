import { count } from '../format';
import { displayName } from '../../common/display-text';
import { h } from '../ui/dom';

/** "Connection interrupted": the technician's page went away; they may come back within the grace period. */
export function interruptedCard(viewerName: string, graceMs: number, onEnd: () => void): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Connection interrupted'),
    h(
      'p',
      { class: 'status busy', role: 'status' },
      `The connection to ${displayName(viewerName)} was interrupted. Waiting up to ${count(Math.round(graceMs / 1000), 'second')} for them to come back; they will see your screen again but must ask again for control.`,
    ),
    h('div', { class: 'actions' }, h('button', { class: 'danger', id: 'end-session', on: { click: onEnd } }, 'End session')),
  );
}
