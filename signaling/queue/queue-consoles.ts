import type { ServerMessage } from '../../protocol/signaling-messages';
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
    // Encoded once per fan-out, not per console: a console sees one of at most two frames (handed to them or not).
    const frames = new Map<boolean, Buffer>();
    for (const [conn, watcher] of this.watchers) {
      if (watcher.backlog) watcher.backlog.push(event);
      else if (shows(watcher, event.record)) {
        const toYou = event.record.forTechnician === watcher.email;
        const frame = frames.get(toYou) ?? Buffer.from(JSON.stringify(messageOf(event, watcher.email)));
        frames.set(toYou, frame);
        conn.forward(frame);
      }
    }
  }
}

function tell(conn: ClientConnection, watcher: Watcher, event: QueueEvent): void {
  if (shows(watcher, event.record)) conn.send(messageOf(event, watcher.email));
}

function messageOf(event: QueueEvent, email: string): ServerMessage {
  return event.op === 'added'
    ? { type: 'queue.added', request: entryOf(event.record, email) }
    : { type: 'queue.removed', requestId: event.record.id, reason: event.reason };
}

function shows(watcher: Watcher, r: HelpRecord): boolean {
  if (r.forTechnician) return r.forTechnician === watcher.email;
  return !watcher.teams || (r.team !== undefined && watcher.teams.has(r.team));
}
