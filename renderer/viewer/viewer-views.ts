import { groupCode } from '../format';
import type { SessionLog } from '../session/session-log';
import { h } from '../ui/dom';
import { endCard } from '../ui/end-card';
import { SessionLogPanel, summaryLine } from '../ui/session-log-panel';
import type { ViewerState } from './viewer-session-machine';

type StateOf<K extends ViewerState['kind']> = Extract<ViewerState, { kind: K }>;

const CONNECTING: Record<StateOf<'connecting'>['via'], string> = {
  join: 'Connecting…',
  pick: 'Picking the request…',
  resume: 'Reconnecting to your session…',
};

export const connectingView = (s: StateOf<'connecting'>) => h('p', { class: 'status busy', role: 'status' }, CONNECTING[s.via]);

/** Allowed, and the link is answering the host: the watch's toolbar and panels are drawn once the answer is out. */
export const startingView = () => h('p', { class: 'status busy', role: 'status', id: 'starting' }, 'Allowed. Starting the picture…');

/** Asked; the person must click Allow. `code` is empty for a request picked from the queue. */
export function waitingView(code: string, onCancel: () => void): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Waiting for permission'),
    h(
      'p',
      { class: 'status busy', role: 'status' },
      code
        ? `Asked to see the screen of session ${groupCode(code)}. They need to click Allow.`
        : 'Asked to see the screen of the person whose request you picked. They need to click Allow.',
    ),
    h('div', { class: 'actions' }, h('button', { class: 'secondary', on: { click: onCancel } }, 'Cancel')),
  );
}

/** The end card, with the finished session's summary and its log, open, with the exports. */
export function endedView(s: StateOf<'ended'>, log: SessionLog | undefined, again: () => void, home: () => void): HTMLElement {
  const extra = log ? [h('p', { id: 'end-summary' }, summaryLine(log.summary())), openLog(log)] : [];
  return endCard(s.title, s.message, { label: 'Connect again', onClick: again }, home, extra);
}

function openLog(log: SessionLog): HTMLElement {
  const panel = new SessionLogPanel(log, true);
  panel.setOpen(true);
  return panel.element;
}
