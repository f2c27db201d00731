import { formatDuration, type SessionLog, type SessionSummary } from '../session/session-log';
import { count } from '../format';
import { h, mount } from './dom';
import { saveDownload } from './save-download';

/**
 * One formatter, made with the module: `toLocaleTimeString` with options builds a new one (loading the locale's date
 * patterns) for every line at every render, which cost 40–115 ms on a busy machine right at a session's start, when
 * the first lines are logged — the host's "Sharing …" before its offer goes out, the technician's log panel before
 * the offer is answered.
 */
const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** A log line's time of day (hours, minutes, seconds in the person's locale). */
export const logTime = (at: number): string => TIME.format(at);

/** The session's timeline with its two exports (JSON lines for tools, text for a ticket). */
export class SessionLogPanel {
  readonly toggle = h(
    'button',
    { class: 'secondary', id: 'toggle-log', on: { click: () => this.setOpen(Boolean(this.element.hidden)) } },
    'Log',
  );
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'log-list', id: 'log-list' });
  /** The same summary as the end card's, kept current while the panel is open. */
  private readonly summary = h('p', { class: 'log-summary', id: 'log-summary' });
  private readonly unsubscribe: () => void;
  private ticker?: ReturnType<typeof setInterval>;

  constructor(
    private readonly log: SessionLog,
    docked = false,
  ) {
    this.element = h(
      'aside',
      { class: docked ? 'log docked' : 'log', id: 'log-panel', hidden: true, 'aria-label': 'Session log' },
      h('h3', {}, 'Session log'),
      this.summary,
      this.list,
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'secondary', id: 'export-jsonl', on: { click: () => this.download('jsonl') } }, 'Export JSON lines'),
        h('button', { class: 'secondary', id: 'export-text', on: { click: () => this.download('txt') } }, 'Export text'),
      ),
    );
    this.unsubscribe = log.onChange(() => this.render());
    this.render();
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
    clearInterval(this.ticker);
    this.ticker = open ? setInterval(() => this.renderSummary(), 1000) : undefined;
    this.renderSummary();
  }

  private renderSummary(): void {
    this.summary.textContent = summaryLine(this.log.summary(), this.log.ended);
  }

  private render(): void {
    this.renderSummary();
    mount(this.list, ...this.log.events.map((e) => h('li', { dataset: { kind: e.kind } }, h('time', {}, logTime(e.at)), ' ', e.text)));
  }

  private download(kind: 'jsonl' | 'txt'): void {
    const body = kind === 'jsonl' ? this.log.toJsonLines() : this.log.toText();
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    saveDownload(new Blob([body], { type: kind === 'jsonl' ? 'application/x-ndjson' : 'text/plain' }), `peerdesk-session-${stamp}.${kind}`);
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
  }
}

/** "Lasted 12 min 3 s · control for 4 min · 2 files sent, 1 received" for the end card ("So far …" during the session). */
export function summaryLine(s: SessionSummary, ended = true): string {
  return `${ended ? 'Lasted' : 'So far'} ${formatDuration(s.durationMs)} · control for ${formatDuration(s.controlMs)} · ${count(s.filesSent, 'file')} sent, ${s.filesReceived} received`;
}
