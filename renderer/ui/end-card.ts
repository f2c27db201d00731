import { h } from './dom';

/** The card both roles show when a session is over: why, and what to do next. */
export function endCard(title: string, message: string, again: { label: string; onClick: () => void }, onHome: () => void): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, title),
    h('p', { id: 'end-reason', role: 'alert' }, message),
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'primary', on: { click: again.onClick } }, again.label),
      h('button', { class: 'secondary', on: { click: onHome } }, 'Home'),
    ),
  );
}
