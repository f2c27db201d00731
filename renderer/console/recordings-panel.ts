import * as z from 'zod';
import { displayName } from '../../common/display-text';
import { recordingListSchema, type RecordingMeta } from '../../protocol/recordings';
import { h } from '../ui/dom';
import { formatDuration } from './ticket-summary';

const errorSchema = z.object({ error: z.string().max(500) });
const localTime = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What the table says of the session: the code's first digits the person read out, else the start of its id. */
const sessionText = (s: RecordingMeta['session']) => s.code ?? (s.id ? `id ${s.id.slice(0, 8)}…` : '—');

/**
 * The console's "Recordings": the session recordings this server keeps (`/api/recordings`; an admin's: everyone's),
 * a table with Play (an inline `<video>` under the row, seeking through Range requests) and Download. Everything in
 * it came from the server: validated, then shown through text nodes only. Rows are built once per load and never
 * rebuilt while shown, so a button stays the element a pointer aims at.
 */
export class RecordingsPanel {
  private readonly status = h('p', { class: 'hint busy', id: 'recordings-status', role: 'status' }, 'Loading recordings…');
  private readonly body = h('tbody', {});
  private readonly table = h(
    'table',
    { class: 'recordings-table', id: 'recordings-table', hidden: true },
    h(
      'thead',
      {},
      h('tr', {}, ...['When', 'Technician', 'Session', 'Duration', 'Size', 'SHA-256', ''].map((t) => h('th', { scope: 'col' }, t))),
    ),
    this.body,
  );
  readonly element: HTMLElement;

  constructor(admin: boolean) {
    this.element = h(
      'section',
      { class: 'recordings', id: 'recordings', 'aria-labelledby': 'recordings-title' },
      h('h2', { id: 'recordings-title' }, admin ? 'All recordings' : 'My recordings'),
      this.status,
      this.table,
    );
  }

  async load(): Promise<void> {
    let res: Response;
    let body: unknown;
    try {
      res = await fetch('/api/recordings', { credentials: 'same-origin' });
      body = await res.json();
    } catch {
      return this.say('error', 'The recordings could not be loaded from the server.');
    }
    // 404: this server keeps no recordings, a fact of its set-up; the section says so and how to change it.
    this.element.classList.toggle('recordings-off', res.status === 404);
    if (!res.ok)
      return this.say(
        res.status === 404 ? 'hint' : 'error',
        errorSchema.safeParse(body).data?.error ?? `The server answered ${res.status}.`,
      );
    const parsed = recordingListSchema.safeParse(body);
    if (!parsed.success) return this.say('error', 'The server sent recordings this page cannot read.');
    const { recordings } = parsed.data;
    this.body.replaceChildren(...recordings.flatMap((r) => this.rows(r)));
    this.table.hidden = recordings.length === 0;
    this.say(
      'hint',
      recordings.length ? `${recordings.length === 1 ? '1 recording' : `${recordings.length} recordings`}.` : 'No recordings kept.',
    );
  }

  private say(className: string, text: string): void {
    this.status.className = className;
    this.status.textContent = text;
  }

  /** The recording's row, and the row under it that holds its player once Play is pressed. */
  private rows(r: RecordingMeta): HTMLElement[] {
    const src = `/api/recordings/${encodeURIComponent(r.id)}`;
    const player = h('tr', { class: 'recording-player', hidden: true }, h('td', { colspan: 7 }));
    const play = h('button', { type: 'button', class: 'secondary play', 'aria-expanded': 'false' }, 'Play');
    play.addEventListener('click', () => {
      const opening = player.hidden;
      player.hidden = !opening;
      play.textContent = opening ? 'Hide' : 'Play';
      play.setAttribute('aria-expanded', String(opening));
      const cell = player.firstElementChild as HTMLElement;
      // The video is made on first Play (no request for rows nobody opens) and paused, not removed, when hidden.
      let video = cell.querySelector('video');
      if (!video && opening) {
        video = h('video', { controls: true, preload: 'metadata', src, 'aria-label': `Recording ${r.id}` });
        cell.append(video);
      }
      if (!opening) video?.pause();
    });
    const row = h(
      'tr',
      { class: 'recording-row', dataset: { recording: r.id } },
      h('td', {}, h('time', { datetime: r.storedAt }, localTime(r.storedAt))),
      h('td', { class: 'technician' }, displayName(r.by.name), h('span', { class: 'email hint' }, displayName(r.by.email))),
      h('td', { class: 'session' }, sessionText(r.session)),
      h('td', { class: 'duration' }, formatDuration(r.durationMs)),
      h('td', { class: 'size' }, formatSize(r.size)),
      h('td', { class: 'sha256' }, h('code', { title: r.sha256 }, `${r.sha256.slice(0, 10)}…`)),
      h(
        'td',
        { class: 'actions' },
        h('div', {}, play, h('a', { class: 'button secondary download', href: `${src}?download=1`, download: '' }, 'Download')),
      ),
    );
    return [row, player];
  }
}
