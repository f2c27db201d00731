import { h } from './dom';

/** The card both roles show when a session is over: why, and what to do next. */
export function endCard(
  title: string,
  message: string,
  again: { label: string; onClick: () => void },
  onHome: () => void,
  /** What happened: a summary line, and the log with its exports. */
  extra: Array<HTMLElement | string> = [],
): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, title),
    h('p', { id: 'end-reason', role: 'alert' }, message),
    ...extra,
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'primary', on: { click: again.onClick } }, again.label),
      h('button', { class: 'secondary', on: { click: onHome } }, 'Home'),
    ),
  );
}
