import { SignalingErrorCode } from '../protocol/error-codes';
import { BAD_STATE, ERROR_MESSAGES } from '../protocol/error-messages';
import type { ClientMessage, EndReason } from '../protocol/signaling-messages';
import { auditReport } from './audit/broker-audit';
import { markAway } from './broker/away-sides';
import type { BrokerContext, BrokerDeps } from './broker/broker-deps';
import { decideJoin } from './broker/decide-join';
import { joinSession } from './broker/join-session';
import { openSession } from './broker/open-session';
import { resumeSession } from './broker/resume-session';
import { dropViewer, endSession } from './broker/session-endings';
import type { ClientConnection } from './client-connection';
import type { SessionRecord } from './session-store';

export type { BrokerDeps, SessionLocks } from './broker/broker-deps';

/**
 * The session protocol: open, join, consent, relay, leave, resume. One instance per server process. Each step
 * lives in `broker/` under its name; this class routes messages to them under the session's lock, and owns what
 * spans them: going away, the grace sweep and the refusal of a frame.
 */
export class SessionBroker {
  private readonly graceTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly ctx: BrokerContext;

  constructor(deps: BrokerDeps) {
    this.ctx = { ...deps, reject: (...args) => this.reject(...args), sweepAt: (when) => this.sweepAt(when) };
  }

  /**
   * Relays a signal frame as received: it already passed the strict schema, so it is forwarded unchanged.
   * Synchronous on purpose: signals are the bulk of the traffic and need no store access.
   */
  relay(conn: ClientConnection, bytes: Buffer): void {
    if (!conn.peer) {
      // The other side is away (its signaling dropped): the signal is dropped, not held against this side.
      if (conn.peerAway) return void this.ctx.metrics.rejected.inc({ reason: 'peer-away' });
      return this.reject(conn, SignalingErrorCode.NotPaired);
    }
    // Client and server signal frames have the same shape ({ type: 'signal', data }).
    conn.peer.forward(bytes);
    this.ctx.metrics.relayed.inc();
  }

  /** Every other client message: these touch the session store and run one at a time per session code. */
  async handle(conn: ClientConnection, message: Exclude<ClientMessage, { type: 'signal' }>): Promise<void> {
    const { ctx } = this;
    if (!ctx.store.healthy()) return this.reject(conn, SignalingErrorCode.Unavailable);
    switch (message.type) {
      case 'host.open':
        return openSession(ctx, conn);
      case 'viewer.join':
        return ctx.locks.run(message.code, () => joinSession(ctx, conn, message));
      case 'session.resume':
        return ctx.locks.run(message.code, () => resumeSession(ctx, conn, message));
      case 'host.decide':
        return conn.code
          ? ctx.locks.run(conn.code, () => decideJoin(ctx, conn, message))
          : this.reject(conn, SignalingErrorCode.BadState, BAD_STATE.NoOpenSession);
      case 'leave':
        return this.leave(conn, message.reason ?? (conn.role === 'host' ? 'host-left' : 'viewer-left'));
      case 'audit.report':
        return (await auditReport(ctx, conn, message.event))
          ? undefined
          : this.reject(conn, SignalingErrorCode.BadState, BAD_STATE.NotASide);
    }
  }

  /** An explicit leave: the session (host) or the seat (viewer) ends now. */
  async leave(conn: ClientConnection, reason: EndReason): Promise<void> {
    await this.withSession(conn.code, async (session) => {
      if (conn.role === 'host' && session?.hostConnectionId === conn.id) await endSession(this.ctx, session, reason);
      else if (conn.role === 'viewer' && session?.viewer?.connectionId === conn.id) await dropViewer(this.ctx, session, reason);
      conn.unbind();
    });
  }

  /**
   * The socket closed without a goodbye (crash, network, reload, server restart elsewhere): an admitted side goes
   * away (`markAway`). A viewer still waiting for consent has nothing to resume and is dropped at once.
   */
  async disconnected(conn: ClientConnection): Promise<void> {
    await this.withSession(conn.code, async (session) => {
      if (conn.role === 'host' && session?.hostConnectionId === conn.id) return markAway(this.ctx, session, { host: true });
      if (conn.role !== 'viewer' || session?.viewer?.connectionId !== conn.id) return;
      if (!session.viewer.admitted) return dropViewer(this.ctx, session, 'viewer-disconnected');
      return markAway(this.ctx, session, { viewer: true });
    });
  }

  /** Ends sessions whose unused code expired and gives up on sides whose grace ran out. */
  async sweepDue(now = Date.now()): Promise<void> {
    for (const code of await this.ctx.store.due(now))
      await this.withSession(code, async (session) => {
        if (!session) return;
        if (session.hostAwayUntil !== undefined && session.hostAwayUntil <= now) return endSession(this.ctx, session, 'host-disconnected');
        if (session.viewer?.awayUntil !== undefined && session.viewer.awayUntil <= now)
          return dropViewer(this.ctx, session, 'viewer-disconnected');
        if (!session.viewer && session.expiresAt <= now) return endSession(this.ctx, session, 'expired');
        return this.checkSidesAlive(session);
      });
  }

  /** Sessions that had a side on a node that died (shared store): see `checkSidesAlive`. */
  async checkSessions(codes: string[]): Promise<void> {
    for (const code of codes) await this.withSession(code, async (session) => session && this.checkSidesAlive(session));
  }

  /** Stops the grace timers (the store's deadlines remain for the next process). */
  dispose(): void {
    for (const t of this.graceTimers) clearTimeout(t);
    this.graceTimers.clear();
  }

  /** Every refusal goes through here: counted, explained (by the code's message unless given one), and the connection closed after repeated abuse. */
  reject(conn: ClientConnection, code: SignalingErrorCode, message?: string, retryAfterMs?: number): void {
    this.ctx.metrics.rejected.inc({ reason: code });
    conn.send({ type: 'error', code, message: message ?? ERROR_MESSAGES[code], ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    conn.rejected += 1;
    if (conn.rejected >= this.ctx.config.maxRejectedMessages) conn.socket.close(1008, 'too many rejected messages');
  }

  /**
   * A side whose node died never had its close handled: it goes away here like a closed socket, with the usual
   * grace to resume on another node. A viewer still waiting for consent is dropped.
   */
  private async checkSidesAlive(session: SessionRecord): Promise<void> {
    const { router } = this.ctx;
    const viewer = session.viewer;
    if (viewer && !viewer.admitted && !(await router.alive(viewer.connectionId)))
      return dropViewer(this.ctx, session, 'viewer-disconnected');
    const host = !(await router.alive(session.hostConnectionId));
    const seat = Boolean(viewer?.admitted) && !(await router.alive(viewer!.connectionId));
    await markAway(this.ctx, session, { host, viewer: seat });
  }

  /** Runs under the code's lock with its current record (none without a code). */
  private async withSession(code: string | undefined, task: (session: SessionRecord | undefined) => Promise<unknown>): Promise<void> {
    if (!code) return;
    await this.ctx.locks.run(code, async () => {
      await task(await this.ctx.store.get(code));
    });
  }

  private sweepAt(when: number): void {
    const timer = setTimeout(
      () => {
        this.graceTimers.delete(timer);
        this.sweepDue().catch((err: unknown) => this.ctx.log.error({ err }, 'grace sweep failed'));
      },
      Math.max(0, when - Date.now()) + 5,
    );
    timer.unref();
    this.graceTimers.add(timer);
  }
}
