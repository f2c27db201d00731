import type { ClientConnection } from '../client-connection';
import type { ServerMessageOf } from '../../protocol/signaling-messages';
import { handoverTarget, sameLine } from './queue-entry';
import { before, type HelpRecord, type QueueEvent } from './queue-store';

type HelpQueued = ServerMessageOf<'help.queued'>;

/**
 * A request whose host is connected to this node: its position is kept and told as the queue moves. `ahead` names
 * the requests counted before it, so an event that crossed the initial count in flight is counted once, not twice.
 */
interface Waiting {
  conn: ClientConnection;
  record: HelpRecord;
  ahead: Set<string>;
}

/**
 * The people on this node whose requests wait, and what each host connection asked for: its waiting request (if
 * any) and how many it made. Every node hears every queue event, so a place moves whichever node the change was on.
 */
export class WaitingHosts {
  private readonly waiting = new Map<string, Waiting>();
  private readonly byHost = new WeakMap<ClientConnection, { id?: string; count: number }>();

  /** The host connection's waiting request id, if any, and how many requests it has made. */
  of(conn: ClientConnection): { id?: string; count: number } {
    return this.byHost.get(conn) ?? { count: 0 };
  }

  /** The connection's request `id` waits; `count` requests made so far (a requeue or reclaim sets its own). */
  set(conn: ClientConnection, id: string, count: number): void {
    this.byHost.set(conn, { id, count });
  }

  /**
   * The record waits now, `aheadIds` before it (read after it was added). Its host, when connected here, is told its
   * place whenever it moves from now on. Returns the `help.queued` message that tells the host where it waits.
   */
  queued(conn: ClientConnection | undefined, record: HelpRecord, aheadIds: string[]): HelpQueued {
    const ahead = new Set(aheadIds);
    if (conn) this.waiting.set(record.id, { conn, record, ahead });
    return {
      type: 'help.queued',
      requestId: record.id,
      position: ahead.size + 1,
      waitingSince: record.createdAt,
      expiresAt: record.expiresAt,
      ...(record.handedOverBy ? { handover: { from: record.handedOverBy, to: handoverTarget(record) } } : {}),
    };
  }

  /** The host's socket closed: its place is no longer told here (the request may still be reclaimed). */
  socketClosed(conn: ClientConnection): string | undefined {
    const id = this.byHost.get(conn)?.id;
    if (id) this.waiting.delete(id);
    return id;
  }

  onEvent(event: QueueEvent): void {
    const { record } = event;
    if (event.op === 'removed') this.forget(record.id);
    // Someone ahead left (or came back ahead, requeued or handed over): the places behind move.
    for (const w of this.waiting.values()) {
      if (w.record.id === record.id || !sameLine(w.record, record) || !before(record, w.record)) continue;
      const changed = event.op === 'removed' ? w.ahead.delete(record.id) : !w.ahead.has(record.id) && Boolean(w.ahead.add(record.id));
      if (changed) w.conn.send({ type: 'help.position', requestId: w.record.id, position: w.ahead.size + 1 });
    }
  }

  private forget(id: string): void {
    const mine = this.waiting.get(id);
    if (!mine) return;
    this.waiting.delete(id);
    const host = this.byHost.get(mine.conn);
    if (host?.id === id) delete host.id;
  }
}
