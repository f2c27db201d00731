import type { QueueEntry } from '../../protocol/signaling-messages';
import { h } from '../ui/dom';

/** "4 min", "1 h 5 min": how long someone has been waiting. */
export function waitingFor(since: number, now = Date.now()): string {
  const min = Math.max(0, Math.floor((now - since) / 60_000));
  if (min < 1) return 'just now';
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * The waiting requests, oldest first, kept in step with the server's snapshot and its added/removed events.
 * Everything in an entry is the asking person's text: it goes into the page as text nodes only, never as markup.
 */
export class QueueList {
  readonly element = h('ol', { class: 'queue-list', id: 'queue-list', 'aria-label': 'Waiting requests' });
  private readonly empty = h('p', { class: 'hint', id: 'queue-empty' }, 'Nobody is waiting. New requests appear here as they come in.');
  private readonly entries = new Map<string, { entry: QueueEntry; row: HTMLLIElement; waited: HTMLElement }>();
  private readonly timer = setInterval(() => this.tick(), 15_000);

  constructor(private readonly onPick: (entry: QueueEntry) => void) {}

  get emptyNote(): HTMLElement {
    return this.empty;
  }

  replace(entries: QueueEntry[]): void {
    this.entries.clear();
    this.element.replaceChildren();
    entries.forEach((e) => this.add(e));
    this.refresh();
  }

  add(entry: QueueEntry): void {
    this.remove(entry.requestId);
    const waited = h('span', { class: 'waited' }, waitingFor(entry.waitingSince));
    const facts = [entry.team && `Team ${entry.team}`, entry.app, entry.os].filter(Boolean).join(' · ');
    const row = h(
      'li',
      { class: 'queue-entry', dataset: { requestId: entry.requestId } },
      h('div', { class: 'who' }, h('strong', { class: 'name' }, entry.name), waited),
      h('p', { class: 'description' }, entry.description),
      facts ? h('p', { class: 'facts hint' }, facts) : null,
      entry.handover
        ? h('p', { class: 'handover' }, `Handed over by ${entry.handover.from}${entry.handover.toYou ? ' — to you' : ''}`)
        : null,
      h('button', { class: 'primary pick', on: { click: () => this.onPick(entry) } }, 'Pick'),
    );
    // Oldest first: insert before the first entry that came later.
    const later = [...this.entries.values()].find((e) => e.entry.waitingSince > entry.waitingSince);
    this.element.insertBefore(row, later?.row ?? null);
    this.entries.set(entry.requestId, { entry, row, waited });
    this.refresh();
  }

  remove(requestId: string): void {
    const e = this.entries.get(requestId);
    if (!e) return;
    e.row.remove();
    this.entries.delete(requestId);
    this.refresh();
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    for (const { entry, waited } of this.entries.values()) waited.textContent = waitingFor(entry.waitingSince);
  }

  private refresh(): void {
    this.empty.hidden = this.entries.size > 0;
    document.title = this.entries.size ? `(${this.entries.size}) PeerDesk console` : 'PeerDesk console';
  }
}
