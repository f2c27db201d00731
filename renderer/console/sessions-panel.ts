import * as z from 'zod';
import { displayName } from '../../common/display-text';
import { auditSessionsResponseSchema, type AuditSession, type AuditTimelineEntry } from '../../protocol/audit-sessions';
import { h } from '../ui/dom';
import { controlTime, formatDuration, technicianLine, ticketSummary } from './ticket-summary';

const DAY_MS = 24 * 60 * 60_000;
/** The outcome filter's choices (`auditOutcomeFilterSchema`), in words. */
const OUTCOMES: Array<[string, string]> = [
  ['', 'any'],
  ['live', 'still live'],
  ['ended', 'ended'],
  ['allowed', 'allowed'],
  ['declined', 'declined'],
  ['timed-out', 'no answer'],
  ['capture-failed', 'sharing failed'],
  ['handed-over', 'handed over'],
];
const errorSchema = z.object({ error: z.string().max(500) });

/** `YYYY-MM-DD` of a local day, as a date input holds it. */
const dayOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const localTime = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** A record's own fields as one line of text (`outcome: allowed · address: …`); an identity reads as name <email>. */
function fieldsText(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'email' in v) {
        const who = v as { name?: unknown; email?: unknown };
        return `${k}: ${displayName(String(who.name))} <${displayName(String(who.email))}> (verified)`;
      }
      return `${k}: ${displayName(typeof v === 'string' ? v : JSON.stringify(v), 300)}`;
    })
    .join(' · ');
}

function timelineItem(e: AuditTimelineEntry): HTMLElement {
  return h(
    'li',
    {},
    h('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()),
    ' ',
    h('strong', {}, e.type),
    h('span', { class: 'hint' }, ` reported by ${e.reportedBy}`),
    h('div', { class: 'fields' }, fieldsText(e.fields)),
  );
}

/**
 * The console's "My sessions" (an admin's "All sessions", with a technician filter): the audit trail's sessions in a
 * date range, each opening to its timeline and a ticket summary to copy, and export links for the same range.
 * Everything in it came from the server: it is validated, then shown through text nodes only.
 */
export class SessionsPanel {
  private readonly from = h('input', { type: 'date', id: 'sessions-from', required: true });
  private readonly to = h('input', { type: 'date', id: 'sessions-to', required: true });
  private readonly technician = h('input', { type: 'email', id: 'sessions-technician', placeholder: 'everyone', maxlength: 254 });
  private readonly person = h('input', { type: 'search', id: 'sessions-person', placeholder: 'anyone', maxlength: 64 });
  private readonly team = h('input', { type: 'search', id: 'sessions-team', placeholder: 'any', maxlength: 32 });
  private readonly outcome = h('select', { id: 'sessions-outcome' }, ...OUTCOMES.map(([value, label]) => h('option', { value }, label)));
  private readonly status = h('p', { class: 'hint', id: 'sessions-status', role: 'status' });
  private readonly list = h('ol', { class: 'sessions-list', id: 'sessions-list', 'aria-label': 'Sessions' });
  private readonly csv = h('a', { class: 'button secondary', id: 'export-csv', download: '' }, 'Export CSV');
  private readonly jsonl = h('a', { class: 'button secondary', id: 'export-jsonl', download: '' }, 'Export JSON lines');
  readonly element: HTMLElement;

  constructor(
    private readonly admin: boolean,
    now = new Date(),
  ) {
    this.to.value = dayOf(now);
    this.from.value = dayOf(new Date(now.getTime() - 7 * DAY_MS));
    const form = h(
      'form',
      { class: 'sessions-filter', on: { submit: (e) => (e.preventDefault(), void this.load()) } },
      h('label', {}, 'From', this.from),
      h('label', {}, 'To', this.to),
      admin ? h('label', {}, 'Technician', this.technician) : null,
      h('label', {}, 'Person', this.person),
      h('label', {}, 'Team', this.team),
      h('label', {}, 'Outcome', this.outcome),
      h('button', { type: 'submit', class: 'secondary', id: 'sessions-show' }, 'Show'),
    );
    this.element = h(
      'section',
      { class: 'sessions', id: 'sessions', 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, admin ? 'All sessions' : 'My sessions'),
      form,
      h('div', { class: 'sessions-export' }, this.csv, this.jsonl),
      this.status,
      this.list,
    );
  }

  /** The query for the chosen days, local midnight to the midnight after the last day. */
  private query(): URLSearchParams {
    const start = new Date(`${this.from.value}T00:00`);
    const end = new Date(new Date(`${this.to.value}T00:00`).getTime() + DAY_MS);
    const q = new URLSearchParams({ from: start.toISOString(), to: end.toISOString() });
    if (this.admin && this.technician.value.trim()) q.set('technician', this.technician.value.trim());
    for (const [key, input] of [
      ['person', this.person],
      ['team', this.team],
      ['outcome', this.outcome],
    ] as const)
      if (input.value.trim()) q.set(key, input.value.trim());
    return q;
  }

  async load(): Promise<void> {
    if (!this.from.value || !this.to.value) return this.say('error', 'Choose both dates.');
    const q = this.query();
    for (const [link, format] of [
      [this.csv, 'csv'],
      [this.jsonl, 'jsonl'],
    ] as const)
      link.href = `/api/audit/export?format=${format}&${q}`;
    this.say('hint busy', 'Loading sessions…');
    let body: unknown;
    let res: Response;
    try {
      res = await fetch(`/api/audit/sessions?${q}`, { credentials: 'same-origin' });
      body = await res.json();
    } catch {
      return this.say('error', 'The sessions could not be loaded from the server.');
    }
    // 404: this server keeps no audit trail, a fact of its set-up rather than a failure; nothing to filter or export.
    this.element.classList.toggle('audit-off', res.status === 404);
    if (!res.ok)
      return this.say(
        res.status === 404 ? 'hint' : 'error',
        errorSchema.safeParse(body).data?.error ?? `The server answered ${res.status}.`,
      );
    const parsed = auditSessionsResponseSchema.safeParse(body);
    if (!parsed.success) return this.say('error', 'The server sent sessions this page cannot read.');
    const { sessions, truncated } = parsed.data;
    this.list.replaceChildren(...sessions.map((s) => this.row(s)));
    const count = sessions.length === 1 ? '1 session' : `${sessions.length} sessions`;
    this.say(
      'hint',
      sessions.length
        ? `${count}${truncated ? ' (the newest; narrow the dates to see older ones)' : ''}.`
        : 'No sessions in these days match.',
    );
  }

  private say(className: string, text: string): void {
    this.status.className = className;
    this.status.textContent = text;
  }

  private row(s: AuditSession): HTMLElement {
    const summary = h('textarea', { class: 'ticket-summary', readonly: true, rows: 9, hidden: true, 'aria-label': 'Ticket summary' });
    const copied = h('span', { class: 'hint copy-status', role: 'status' });
    const copy = async () => {
      summary.value = ticketSummary(s);
      summary.rows = summary.value.split('\n').length;
      summary.hidden = false;
      try {
        await navigator.clipboard.writeText(summary.value);
        copied.textContent = 'Copied to the clipboard.';
      } catch {
        summary.select();
        copied.textContent = 'Select the text below and copy it.';
      }
    };
    const facts = [
      s.durationMs === null ? 'still open' : formatDuration(s.durationMs),
      s.outcome,
      `control ${controlTime(s)}`,
      `${s.files.length} ${s.files.length === 1 ? 'file' : 'files'}`,
    ].join(' · ');
    return h(
      'li',
      { class: 'session-row', dataset: { session: s.id } },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('time', { class: 'started', datetime: s.started }, localTime(s.started)),
          h('span', { class: s.technician ? 'technician verified' : 'technician typed' }, technicianLine(s)),
          s.person ? h('span', { class: 'person' }, `for ${displayName(s.person)}${s.team ? ` · team ${displayName(s.team)}` : ''}`) : null,
          h('span', { class: 'facts hint' }, facts),
        ),
        h('button', { type: 'button', class: 'secondary copy-summary', on: { click: () => void copy() } }, 'Copy summary for the ticket'),
        copied,
        summary,
        h('ol', { class: 'timeline', 'aria-label': 'Timeline' }, ...s.timeline.map(timelineItem)),
      ),
    );
  }
}
