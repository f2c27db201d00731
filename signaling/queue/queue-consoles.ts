import type { ClientConnection } from '../client-connection';
import type { HelpRecord, QueueEvent } from './queue-store';
import { entryOf } from './queue-entry';

/** A console watching the queue; events wait in `backlog` until its snapshot went out. */
interface Watcher {
  teams?: Set<string>;
  /** The technician's sign-in email in lower case: requests handed to them by name show only to them. */
  email: string;
  backlog?: QueueEvent[];
}

/** The consoles on this node that watch the queue, each told every change it may see, in order after its snapshot. */
export class QueueConsoles {
  private readonly watchers = new Map<ClientConnection, Watcher>();

  /**
   * Starts watching for a signed-in technician: events that arrive while the snapshot is read wait, then follow it.
   * `list` reads the queue as it stands.
   */
  async watch(conn: ClientConnection, teams: string[] | undefined, allTeams: string[], list: () => Promise<HelpRecord[]>): Promise<void> {
    const watcher: Watcher = {
      ...(teams?.length ? { teams: new Set(teams) } : {}),
      email: conn.identity!.email.toLowerCase(),
      backlog: [],
    };
    this.watchers.set(conn, watcher);
    const requests = (await list()).filter((r) => shows(watcher, r)).map((r) => entryOf(r, watcher.email));
    conn.send({ type: 'queue.snapshot', requests, teams: allTeams });
    const backlog = watcher.backlog ?? [];
    delete watcher.backlog;
    for (const event of backlog) tell(conn, watcher, event);
  }

  stop(conn: ClientConnection): void {
    this.watchers.delete(conn);
  }

  onEvent(event: QueueEvent): void {
    for (const [conn, watcher] of this.watchers) tell(conn, watcher, event);
  }
}

function tell(conn: ClientConnection, watcher: Watcher, event: QueueEvent): void {
  if (watcher.backlog) return void watcher.backlog.push(event);
  if (!shows(watcher, event.record)) return;
  if (event.op === 'added') conn.send({ type: 'queue.added', request: entryOf(event.record, watcher.email) });
  else conn.send({ type: 'queue.removed', requestId: event.record.id, reason: event.reason });
}

function shows(watcher: Watcher, r: HelpRecord): boolean {
  if (r.forTechnician) return r.forTechnician === watcher.email;
  return !watcher.teams || (r.team !== undefined && watcher.teams.has(r.team));
}
