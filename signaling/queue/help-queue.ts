import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import { MAX_HELP_DESCRIPTION_CHARS } from '../../protocol/limits';
import type { ClientMessage } from '../../protocol/signaling-messages';
import type { ClientConnection } from '../client-connection';
import type { SignalingConfig } from '../config';
import { generateRequestId } from '../session-codes';
import type { SessionRecord, SessionStore, SessionViewer } from '../session-store';
import type { ConnectionRouter } from '../connection-router';
import type { SessionLocks } from '../session-broker';
import { MemoryQueueStore, type HelpRecord, type QueueStore } from './queue-store';
import { RedisQueueStore } from './redis-queue-store';
import { seatPicker } from './seat-picker';
import { handOver } from './handover';
import { helpRequestsPerAddress } from './help-limits';
import { QueueConsoles } from './queue-consoles';
import { WaitingHosts } from './waiting-hosts';
import type { AuditSink } from '../audit/audit-sink';
import { auditSession } from '../audit/broker-audit';

export type QueueMessage = Extract<ClientMessage, { type: `help.${string}` | `queue.${string}` }>;
type Msg<T extends QueueMessage['type']> = Extract<QueueMessage, { type: T }>;

export const isQueueMessage = (m: ClientMessage): m is QueueMessage => m.type.startsWith('help.') || m.type.startsWith('queue.');

export interface HelpQueueDeps {
  config: SignalingConfig;
  queue: QueueStore;
  sessions: SessionStore;
  locks: SessionLocks;
  router: ConnectionRouter;
  log: Logger;
  /** Whether technician sign-in is configured: without it the queue is off. */
  signInEnabled: () => boolean;
  /** Refuses with the code's message from `protocol/error-messages.ts` (or the BAD_STATE reason given). */
  reject: (conn: ClientConnection, code: SignalingErrorCode, message?: string, retryAfterMs?: number) => void;
  /** A connection on this node by id (undefined: elsewhere or gone). */
  localConnection: (id: string) => ClientConnection | undefined;
  /** Shared counters across nodes (none: this process). */
  redis?: Redis;
  /** The audit trail: a pick is recorded with the technician's verified identity (their sessions' history). */
  audit?: AuditSink;
}

/**
 * The support queue beside the session broker: hosts ask for help, signed-in technicians watch and pick. Requests
 * live in a `QueueStore` (memory or Redis); every change is published and each node updates its own consoles and
 * waiting hosts from the events, so nothing polls.
 */
export class HelpQueue {
  private readonly consoles = new QueueConsoles();
  private readonly hosts = new WaitingHosts();
  private readonly takeAddressPoint: (address: string) => Promise<number>;
  private readonly timer: ReturnType<typeof setInterval>;

  /** A queue whose waiting records live in Redis when the nodes share one (`redis`), else in this process. */
  static async start(deps: Omit<HelpQueueDeps, 'queue'>): Promise<{ queue: HelpQueue; queueStore: QueueStore }> {
    const queueStore = deps.redis ? await RedisQueueStore.start(deps.redis) : new MemoryQueueStore();
    return { queue: new HelpQueue({ ...deps, queue: queueStore }), queueStore };
  }

  constructor(private readonly deps: HelpQueueDeps) {
    this.takeAddressPoint = helpRequestsPerAddress(deps.config.helpRequestsPerAddressPerHour, deps.redis);
    deps.queue.onEvent((e) => {
      this.consoles.onEvent(e);
      this.hosts.onEvent(e);
    });
    this.timer = setInterval(() => void this.expireDue().catch((err: unknown) => deps.log.error({ err }, 'queue sweep failed')), 1000);
    this.timer.unref();
  }

  async handle(conn: ClientConnection, message: QueueMessage): Promise<void> {
    if (message.type === 'help.options') return this.options(conn);
    if (!this.deps.sessions.healthy()) return this.deps.reject(conn, SignalingErrorCode.Unavailable);
    if (!this.deps.signInEnabled()) return this.deps.reject(conn, SignalingErrorCode.QueueOff);
    switch (message.type) {
      case 'help.request':
        return this.request(conn, message);
      case 'help.cancel':
        return this.cancel(conn, 'cancelled');
      case 'queue.watch':
        return this.watch(conn, message);
      case 'queue.pick':
        return this.pick(conn, message);
      case 'help.reclaim':
        return this.reclaim(conn);
      case 'help.handover':
        return handOver({ ...this.deps, enqueue: (r) => this.enqueue(r, Infinity) }, conn, message);
    }
  }

  /** The host left its session or its socket closed: its request goes; a console stops watching. */
  async disconnected(conn: ClientConnection): Promise<void> {
    this.consoles.stop(conn);
    await this.cancel(conn, 'host-left', false);
  }

  /**
   * The socket closed without a `leave` (a reload, a crash, a network drop): a host's waiting request stays for the
   * resume grace period, to be reclaimed by the page that resumes the session with its token (`help.reclaim`);
   * unclaimed by then, it goes. A console stops watching.
   */
  async socketClosed(conn: ClientConnection): Promise<void> {
    this.consoles.stop(conn);
    const id = this.hosts.socketClosed(conn);
    if (!id) return;
    const timer = setTimeout(
      () => void this.dropUnclaimed(id, conn.id).catch((err: unknown) => this.deps.log.error({ err }, 'queue sweep failed')),
      this.deps.config.resumeGraceMs,
    );
    timer.unref();
  }

  /**
   * The pick came to nothing — the host denied the technician, or the technician left before the host answered:
   * back into the queue (in its old place) or ended, as the host chose. Runs under the session's lock, from the broker.
   */
  async pickUndone(session: SessionRecord, viewer: SessionViewer, requeue: boolean): Promise<void> {
    const record = viewer.help;
    if (!record) return;
    const host = this.deps.router;
    if (!requeue) return host.send(session.hostConnectionId, { type: 'help.ended', requestId: record.id, reason: 'declined' });
    const back = { ...record, hostConnectionId: session.hostConnectionId, expiresAt: Math.max(record.expiresAt, Date.now() + 60_000) };
    await this.enqueue(back, Infinity);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private options(conn: ClientConnection): void {
    const { teams } = this.deps.config;
    conn.send({ type: 'help.options', enabled: this.deps.signInEnabled(), teams, maxDescription: MAX_HELP_DESCRIPTION_CHARS });
  }

  private async request(conn: ClientConnection, m: Msg<'help.request'>): Promise<void> {
    const { config, reject, sessions } = this.deps;
    const mine = this.hosts.of(conn);
    if (conn.role !== 'host' || !conn.code) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.OpenSessionFirst);
    if (mine.id) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.HelpAlreadyWaiting);
    const session = await sessions.get(conn.code);
    if (!session || session.viewer) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.SessionNotFree);
    if (m.team !== undefined && !config.teams.includes(m.team)) return reject(conn, SignalingErrorCode.UnknownTeam);
    if (mine.count >= config.helpRequestsPerConnection) return reject(conn, SignalingErrorCode.HelpLimit);
    const wait = await this.takeAddressPoint(conn.address);
    if (wait > 0) return reject(conn, SignalingErrorCode.HelpLimit, undefined, wait);
    const now = Date.now();
    const { name, description, team, app, os } = m;
    const record: HelpRecord = {
      id: generateRequestId(),
      code: conn.code,
      hostConnectionId: conn.id,
      name,
      description,
      ...(team ? { team } : {}),
      ...(app ? { app } : {}),
      ...(os ? { os } : {}),
      createdAt: now,
      expiresAt: now + config.helpRequestTtlMs,
    };
    if (!(await this.enqueue(record, config.maxQueuedRequests))) return reject(conn, SignalingErrorCode.QueueFull);
    this.hosts.set(conn, record.id, mine.count + 1);
    if (this.deps.audit) auditSession(this.deps.audit, session, { type: 'help.requested', name, ...(team ? { team } : {}) });
  }

  /** Adds the record and tells its host (on this node) where it waits; false when the queue is full. */
  private async enqueue(record: HelpRecord, max: number): Promise<boolean> {
    const { queue, router } = this.deps;
    if (!(await queue.add(record, max))) return false;
    const conn = this.deps.localConnection(record.hostConnectionId);
    const queued = this.hosts.queued(conn, record, await queue.ahead(record));
    if (conn) this.hosts.set(conn, record.id, Math.max(1, this.hosts.of(conn).count));
    router.send(record.hostConnectionId, queued);
    queue.publish({ op: 'added', record });
    return true;
  }

  private async cancel(conn: ClientConnection, reason: 'cancelled' | 'host-left', answer = true): Promise<void> {
    const id = this.hosts.of(conn).id;
    if (!id) return answer ? this.deps.reject(conn, SignalingErrorCode.BadState, BAD_STATE.NoWaitingHelp) : undefined;
    const record = await this.deps.queue.take(id);
    // Lost to a pick or the expiry: whoever took it tells the host.
    if (!record) return;
    this.deps.queue.publish({ op: 'removed', record, reason });
    if (answer) conn.send({ type: 'help.ended', requestId: id, reason });
  }

  /** A resumed host takes back the request its reloaded page left waiting, in its place. */
  private async reclaim(conn: ClientConnection): Promise<void> {
    const { queue, reject } = this.deps;
    if (conn.role !== 'host' || !conn.code) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.ResumeFirst);
    const left = (await queue.list()).find((r) => r.code === conn.code);
    const record = left && (await queue.rebind(left.id, conn.id));
    if (!record) return reject(conn, SignalingErrorCode.BadState, BAD_STATE.NoWaitingHelp);
    const queued = this.hosts.queued(conn, record, await queue.ahead(record));
    this.hosts.set(conn, record.id, 1);
    conn.send(queued);
  }

  /** The grace period is over and no page took the request back (it still names the closed connection): it goes. */
  private async dropUnclaimed(id: string, closedConnectionId: string): Promise<void> {
    const { queue } = this.deps;
    if ((await queue.get(id))?.hostConnectionId !== closedConnectionId) return;
    const record = await queue.take(id);
    if (record) queue.publish({ op: 'removed', record, reason: 'host-left' });
  }

  private async watch(conn: ClientConnection, m: Msg<'queue.watch'>): Promise<void> {
    if (!conn.identity) return this.deps.reject(conn, SignalingErrorCode.SignInRequired);
    if (conn.role !== 'none' && conn.role !== 'console') return this.deps.reject(conn, SignalingErrorCode.BadState, BAD_STATE.InSession);
    conn.role = 'console';
    await this.consoles.watch(conn, m.teams, this.deps.config.teams, () => this.deps.queue.list());
  }

  private async pick(conn: ClientConnection, m: Msg<'queue.pick'>): Promise<void> {
    const { reject, queue, router, locks } = this.deps;
    if (!conn.identity) return reject(conn, SignalingErrorCode.SignInRequired);
    if (conn.role !== 'none') return reject(conn, SignalingErrorCode.BadState, BAD_STATE.PickFromFreshConnection);
    // Handed to someone by name: nobody else may take it (the record's target never changes, so a look first is safe).
    const waiting = await queue.get(m.requestId);
    if (waiting?.forTechnician && waiting.forTechnician !== conn.identity.email.toLowerCase())
      return reject(conn, SignalingErrorCode.BadState, BAD_STATE.HandedToAnother);
    const record = await queue.take(m.requestId);
    if (!record) return conn.send({ type: 'queue.taken', requestId: m.requestId });
    queue.publish({ op: 'removed', record, reason: 'picked' });
    const seated = await locks.run(record.code, () => seatPicker(this.deps, conn, record));
    if (seated) return;
    conn.send({ type: 'queue.taken', requestId: record.id });
    router.send(record.hostConnectionId, { type: 'help.ended', requestId: record.id, reason: 'unavailable' });
  }

  private async expireDue(): Promise<void> {
    const { queue, router } = this.deps;
    for (const id of await queue.due(Date.now())) {
      const record = await queue.take(id);
      if (!record) continue;
      queue.publish({ op: 'removed', record, reason: 'expired' });
      router.send(record.hostConnectionId, { type: 'help.ended', requestId: id, reason: 'expired' });
    }
  }
}
