import type { Logger } from 'pino';
import { SignalingErrorCode } from '../protocol/error-codes';
import { MAX_WRONG_PINS_PER_CODE, PROTOCOL_VERSION } from '../protocol/limits';
import type { ClientMessage, EndReason } from '../protocol/signaling-messages';
import type { AddressLimits } from './address-limits';
import { auditJoin, auditSession, auditReport } from './audit/broker-audit';
import type { AuditSink } from './audit/audit-sink';
import type { ClientConnection } from './client-connection';
import type { SignalingConfig } from './config';
import type { ConnectionRouter } from './connection-router';
import type { SignalingMetrics } from './metrics';
import { generateResumeToken, hashResumeToken, tokenMatches } from './resume-tokens';
import { generatePin, generateRequestId, generateSessionCode, generateTurnLabel, pinsEqual } from './session-codes';
import type { SessionRecord, SessionStore, SessionViewer } from './session-store';
import { grantFor, iceServersWith } from './turn-credentials';

type Msg<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

/** One task at a time per session code: in this process (a queue) or across nodes (a Redis lock). */
export interface SessionLocks {
  run<T>(code: string, task: () => Promise<T>): Promise<T>;
}

export interface BrokerDeps {
  config: SignalingConfig;
  store: SessionStore;
  locks: SessionLocks;
  limits: AddressLimits;
  metrics: SignalingMetrics;
  log: Logger;
  router: ConnectionRouter;
  /** Where the session's life is recorded (`noAuditSink` when the trail is off). */
  audit: AuditSink;
  inviteBase: () => string;
  /**
   * A technician who picked the host's help request is no longer asking: the host denied them, or they left before
   * the host decided. The support queue puts the request back (`requeue`) or ends it.
   */
  onPickUndone?: (session: SessionRecord, viewer: SessionViewer, requeue: boolean) => Promise<void>;
}

/** Wrong code, wrong PIN, locked and expired look the same to a viewer: no enumeration. */
const JOIN_FAILED = 'The code or PIN is not valid, or the session has ended.';
const SIGN_IN_REQUIRED = 'This server lets only signed-in technicians connect. Sign in as a technician first.';
const RESUME_FAILED = 'This session can no longer be resumed; join again with the code and a PIN.';

/** The session protocol: open, join, consent, relay, leave, resume. One instance per server process. */
export class SessionBroker {
  private readonly graceTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: BrokerDeps) {}

  /**
   * Relays a signal frame as received: it already passed the strict schema, so it is forwarded unchanged.
   * Synchronous on purpose: signals are the bulk of the traffic and need no store access.
   */
  relay(conn: ClientConnection, bytes: Buffer): void {
    if (!conn.peer) {
      // The other side is away (its signaling dropped): the signal is dropped, not held against this side.
      if (conn.peerAway) return void this.deps.metrics.rejected.inc({ reason: 'peer-away' });
      return this.reject(conn, SignalingErrorCode.NotPaired, 'signals are relayed only between an admitted host and viewer');
    }
    // Client and server signal frames have the same shape ({ type: 'signal', data }).
    conn.peer.forward(bytes);
    this.deps.metrics.relayed.inc();
  }

  /** Every other client message: these touch the session store and run one at a time per session code. */
  async handle(conn: ClientConnection, message: Exclude<ClientMessage, { type: 'signal' }>): Promise<void> {
    if (!this.deps.store.healthy())
      return this.reject(conn, SignalingErrorCode.Unavailable, 'The server cannot reach its session store; try again shortly.');
    const { locks } = this.deps;
    switch (message.type) {
      case 'host.open':
        return this.open(conn);
      case 'viewer.join':
        return locks.run(message.code, () => this.join(conn, message));
      case 'session.resume':
        return locks.run(message.code, () => this.resume(conn, message));
      case 'host.decide':
        return conn.code ? locks.run(conn.code, () => this.decide(conn, message)) : this.badState(conn, 'no open session');
      case 'leave':
        return this.leave(conn, message.reason ?? (conn.role === 'host' ? 'host-left' : 'viewer-left'));
      case 'audit.report':
        return (await auditReport(this.deps, conn, message.event))
          ? undefined
          : this.badState(conn, 'audit reports come only from a side of a session');
    }
  }

  /** An explicit leave: the session (host) or the seat (viewer) ends now. */
  async leave(conn: ClientConnection, reason: EndReason): Promise<void> {
    const code = conn.code;
    if (!code) return;
    await this.deps.locks.run(code, async () => {
      const session = await this.deps.store.get(code);
      if (conn.role === 'host' && session?.hostConnectionId === conn.id) await this.endSession(session, reason);
      else if (conn.role === 'viewer' && session?.viewer?.connectionId === conn.id) await this.dropViewer(session, reason);
      conn.unbind();
    });
  }

  /**
   * The socket closed without a goodbye (crash, network, reload, server restart elsewhere). An admitted side keeps
   * its place for the grace period and may resume with its token; the other side is told and keeps its peer link.
   * A viewer still waiting for consent has nothing to resume and is dropped at once.
   */
  async disconnected(conn: ClientConnection): Promise<void> {
    const code = conn.code;
    if (!code) return;
    await this.deps.locks.run(code, async () => {
      const session = await this.deps.store.get(code);
      const { router, config } = this.deps;
      const awayUntil = Date.now() + config.resumeGraceMs;
      if (conn.role === 'host' && session?.hostConnectionId === conn.id) {
        session.hostAwayUntil = awayUntil;
        await this.deps.store.put(session);
        if (session.viewer?.admitted && !session.viewer.awayUntil) {
          router.unpair(session.viewer.connectionId);
          router.send(session.viewer.connectionId, { type: 'peer.away', graceMs: config.resumeGraceMs });
        }
        this.sweepAt(awayUntil);
      } else if (conn.role === 'viewer' && session?.viewer?.connectionId === conn.id) {
        if (!session.viewer.admitted) return this.dropViewer(session, 'viewer-disconnected');
        session.viewer.awayUntil = awayUntil;
        await this.deps.store.put(session);
        if (!session.hostAwayUntil) {
          router.unpair(session.hostConnectionId);
          router.send(session.hostConnectionId, { type: 'peer.away', graceMs: config.resumeGraceMs });
        }
        this.sweepAt(awayUntil);
      }
    });
  }

  /** Ends sessions whose unused code expired and gives up on sides whose grace ran out. */
  async sweepDue(now = Date.now()): Promise<void> {
    for (const code of await this.deps.store.due(now)) {
      await this.deps.locks.run(code, async () => {
        const session = await this.deps.store.get(code);
        if (!session) return;
        if (session.hostAwayUntil !== undefined && session.hostAwayUntil <= now) return this.endSession(session, 'host-disconnected');
        if (session.viewer?.awayUntil !== undefined && session.viewer.awayUntil <= now)
          return this.dropViewer(session, 'viewer-disconnected');
        if (!session.viewer && session.expiresAt <= now) return this.endSession(session, 'expired');
        return this.checkSidesAlive(session);
      });
    }
  }

  /** Sessions that had a side on a node that died (shared store): see `checkSidesAlive`. */
  async checkSessions(codes: string[]): Promise<void> {
    for (const code of codes)
      await this.deps.locks.run(code, async () => {
        const session = await this.deps.store.get(code);
        if (session) await this.checkSidesAlive(session);
      });
  }

  /**
   * A side whose node died never had its close handled: it is marked away here and gets the usual grace to resume
   * on another node (and the other side hears `peer.away`).
   */
  private async checkSidesAlive(session: SessionRecord): Promise<void> {
    const { router, config, store } = this.deps;
    const awayUntil = Date.now() + config.resumeGraceMs;
    const viewer = session.viewer;
    if (viewer && !viewer.admitted && !(await router.alive(viewer.connectionId))) return this.dropViewer(session, 'viewer-disconnected');
    const hostGone = !session.hostAwayUntil && !(await router.alive(session.hostConnectionId));
    const viewerGone = viewer?.admitted && !viewer.awayUntil && !(await router.alive(viewer.connectionId));
    if (hostGone) session.hostAwayUntil = awayUntil;
    if (viewerGone) viewer.awayUntil = awayUntil;
    await store.put(session);
    if (hostGone && viewer?.admitted && !viewer.awayUntil)
      router.send(viewer.connectionId, { type: 'peer.away', graceMs: config.resumeGraceMs });
    if (viewerGone && !session.hostAwayUntil) router.send(session.hostConnectionId, { type: 'peer.away', graceMs: config.resumeGraceMs });
    if (hostGone || viewerGone) this.sweepAt(awayUntil);
  }

  /** Stops the grace timers (the store's deadlines remain for the next process). */
  dispose(): void {
    for (const t of this.graceTimers) clearTimeout(t);
    this.graceTimers.clear();
  }

  private sweepAt(when: number): void {
    const timer = setTimeout(
      () => {
        this.graceTimers.delete(timer);
        this.sweepDue().catch((err: unknown) => this.deps.log.error({ err }, 'grace sweep failed'));
      },
      Math.max(0, when - Date.now()) + 5,
    );
    timer.unref();
    this.graceTimers.add(timer);
  }

  private async endSession(session: SessionRecord, reason: EndReason): Promise<void> {
    const { store, router, metrics } = this.deps;
    await store.delete(session.code);
    metrics.sessions.dec();
    auditSession(this.deps.audit, session, { type: 'session.ended', reason, durationMs: Date.now() - (session.openedAt ?? Date.now()) });
    const ids = [session.hostConnectionId, session.viewer?.connectionId].filter((id): id is string => Boolean(id));
    for (const id of ids) {
      // The side that caused the end does not need telling; the message is harmless to it anyway.
      router.send(id, { type: 'session.ended', reason });
      router.unbind(id);
    }
  }

  private async dropViewer(session: SessionRecord, reason: EndReason): Promise<void> {
    const viewer = session.viewer;
    if (!viewer) return;
    delete session.viewer;
    session.expiresAt = Date.now() + this.deps.config.sessionTtlMs;
    await this.deps.store.put(session);
    auditSession(
      this.deps.audit,
      session,
      viewer.admitted ? { type: 'viewer.left', reason } : { type: 'view.decision', outcome: 'timed-out' },
    );
    this.deps.router.unbind(viewer.connectionId);
    if (session.hostAwayUntil) return;
    // A technician who picked the request and went before the host answered: the person keeps their place.
    if (!viewer.admitted && viewer.help) await this.deps.onPickUndone?.(session, viewer, true);
    this.deps.router.send(session.hostConnectionId, { type: 'peer.left', reason });
    this.deps.router.unpair(session.hostConnectionId);
  }

  private async open(conn: ClientConnection): Promise<void> {
    if (conn.role !== 'none') return this.badState(conn, 'this connection already belongs to a session');
    const wait = await this.deps.limits.takeOpen(conn.address);
    if (wait > 0)
      return this.reject(
        conn,
        SignalingErrorCode.OpenBackoff,
        'Too many sessions opened from this address; wait before opening another.',
        wait,
      );
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = generateResumeToken();
      const record: SessionRecord = {
        code: generateSessionCode(conn.codeEnding),
        pin: generatePin(),
        hostConnectionId: conn.id,
        hostTokenHash: hashResumeToken(token),
        expiresAt: Date.now() + this.deps.config.sessionTtlMs,
        wrongPins: 0,
        locked: false,
        auditId: generateRequestId(),
        openedAt: Date.now(),
      };
      if (!(await this.deps.store.create(record))) continue;
      conn.role = 'host';
      conn.code = record.code;
      this.deps.metrics.sessions.inc();
      auditSession(this.deps.audit, record, { type: 'session.created', address: conn.address });
      conn.send({ type: 'host.opened', code: record.code, pin: record.pin, inviteUrl: this.invite(record), expiresAt: record.expiresAt });
      conn.send(this.tokenMessage(record.code, token));
      return;
    }
    this.reject(conn, SignalingErrorCode.Internal, 'could not allocate a session code');
  }

  private async join(conn: ClientConnection, message: Msg<'viewer.join'>): Promise<void> {
    if (conn.role !== 'none') return this.badState(conn, 'this connection already belongs to a session');
    const { limits, store, metrics, router } = this.deps;
    // Before the code is even looked up: an unsigned join leaves no trace at the host (not even a wrong-PIN count).
    if (this.deps.config.requireSignIn && !conn.identity) {
      metrics.joins.inc({ outcome: 'unsigned' });
      return this.reject(conn, SignalingErrorCode.SignInRequired, SIGN_IN_REQUIRED);
    }
    const wait = await limits.joinRetryAfter(conn.address);
    if (wait > 0) {
      metrics.joins.inc({ outcome: 'backoff' });
      auditJoin(this.deps.audit, conn, message, undefined, 'backoff');
      return this.reject(conn, SignalingErrorCode.JoinBackoff, 'Too many failed attempts; wait before trying again.', wait);
    }
    const session = await store.get(message.code);
    const usable = session && !session.locked && (session.viewer || session.expiresAt > Date.now());
    if (!session || !usable || !pinsEqual(session.pin, message.pin)) {
      await limits.recordJoinFailure(conn.address);
      metrics.joins.inc({ outcome: 'failed' });
      this.reject(conn, SignalingErrorCode.JoinFailed, JOIN_FAILED);
      // Recorded before a lock can end the session, so the attempt precedes the end in the trail.
      const lockingAttempt = session && (session.locked || session.wrongPins + 1 >= MAX_WRONG_PINS_PER_CODE);
      auditJoin(this.deps.audit, conn, message, session, !session ? 'no-session' : lockingAttempt ? 'lockout' : 'wrong-pin');
      if (session && !session.locked) await this.wrongPin(session);
      return;
    }
    if (session.viewer) {
      metrics.joins.inc({ outcome: 'busy' });
      auditJoin(this.deps.audit, conn, message, session, 'busy');
      return this.reject(conn, SignalingErrorCode.SessionBusy, 'Someone else is already connected to this session.');
    }
    const requestId = generateRequestId();
    // Signed in: the verified name, whatever was typed. The identity comes from the socket's cookie, never the frame.
    const { identity } = conn;
    const name = identity?.name ?? message.name;
    session.viewer = { connectionId: conn.id, requestId, name, ...(identity ? { identity } : {}), admitted: false };
    const iceServers = session.hostAwayUntil ? [] : this.iceServers(session, 'host');
    await store.put(session);
    conn.role = 'viewer';
    conn.code = session.code;
    metrics.joins.inc({ outcome: 'pending' });
    auditJoin(this.deps.audit, conn, message, session, 'pending');
    conn.send({ type: 'join.pending' });
    if (!session.hostAwayUntil)
      router.send(session.hostConnectionId, { type: 'join.request', requestId, ...claimOf(session.viewer), iceServers });
  }

  /**
   * Counts a wrong PIN on a live code and tells its host. The lock ends a session nobody is connected to at
   * once (its code is burnt; waiting for the TTL would leave the host staring at a dead code), but never a
   * live pairing: a guesser who knows only the code must not be able to cut a helpdesk session. The guesser
   * gets the same JOIN_FAILED as for any other failure.
   */
  private async wrongPin(session: SessionRecord): Promise<void> {
    session.wrongPins = await this.deps.store.addWrongPin(session.code);
    session.locked = session.wrongPins >= MAX_WRONG_PINS_PER_CODE;
    this.deps.router.send(session.hostConnectionId, {
      type: 'join.failed',
      attempts: session.wrongPins,
      maxAttempts: MAX_WRONG_PINS_PER_CODE,
    });
    if (!session.locked || session.viewer?.admitted) return this.deps.store.put(session);
    this.deps.log.warn({ code: mask(session.code) }, 'session code locked after wrong PINs; session ended');
    await this.endSession(session, 'locked');
  }

  private async decide(conn: ClientConnection, message: Msg<'host.decide'>): Promise<void> {
    const session = conn.code ? await this.deps.store.get(conn.code) : undefined;
    if (conn.role !== 'host' || !session || session.hostConnectionId !== conn.id) return this.badState(conn, 'not the host of a session');
    const pending = session.viewer;
    if (!pending || pending.admitted || pending.requestId !== message.requestId) return this.badState(conn, 'no such join request');
    const { router, store, metrics } = this.deps;

    // PINs are one-time once a join is decided either way: the next viewer needs the new one.
    session.pin = generatePin();
    if (!message.allow) {
      delete session.viewer;
      await store.put(session);
      metrics.joins.inc({ outcome: 'denied' });
      auditSession(this.deps.audit, session, { type: 'view.decision', outcome: message.reason ?? 'declined' });
      router.send(pending.connectionId, { type: 'join.denied', ...(message.reason ? { reason: message.reason } : {}) });
      router.unbind(pending.connectionId);
      conn.send({ type: 'session.pin', pin: session.pin, inviteUrl: this.invite(session), expiresAt: session.expiresAt });
      return this.deps.onPickUndone?.(session, pending, message.requeue === true);
    }
    const token = generateResumeToken();
    session.viewer = { ...pending, admitted: true, tokenHash: hashResumeToken(token) };
    const viewerIce = this.iceServers(session, 'viewer');
    const hostIce = this.iceServers(session, 'host');
    await store.put(session);
    this.pairBoth(session.hostConnectionId, pending.connectionId);
    metrics.joins.inc({ outcome: 'admitted' });
    auditSession(this.deps.audit, session, { type: 'view.decision', outcome: 'allowed' });
    router.send(pending.connectionId, { type: 'join.accepted', iceServers: viewerIce });
    router.send(pending.connectionId, this.tokenMessage(session.code, token));
    conn.send({ type: 'peer.admitted', requestId: pending.requestId, ...claimOf(pending), iceServers: hostIce });
    conn.send({ type: 'session.pin', pin: session.pin, inviteUrl: this.invite(session), expiresAt: session.expiresAt });
  }

  /**
   * Re-attaches a side to its session with its single-use token (rotated here). Viewing goes on without a new
   * Allow; control does not come back by itself (the host's input service revoked it when the link changed).
   * An older socket of the same side, not yet noticed as dead, is closed: the token holder is the side.
   */
  private async resume(conn: ClientConnection, message: Msg<'session.resume'>): Promise<void> {
    if (conn.role !== 'none') return this.badState(conn, 'this connection already belongs to a session');
    const { store, router, metrics } = this.deps;
    const wait = await this.deps.limits.takeResume(conn.address);
    if (wait > 0) {
      metrics.resumes.inc({ outcome: 'refused' });
      this.reject(conn, SignalingErrorCode.RateLimited, 'Too many resumes from this address; wait before resuming.', wait);
      // Closed, so the client's reconnect backoff retries later: its session keeps its grace meanwhile.
      return conn.socket.close(1013, 'too many resumes');
    }
    const session = await store.get(message.code);
    const role = !session
      ? undefined
      : tokenMatches(message.token, session.hostTokenHash)
        ? 'host'
        : session.viewer?.admitted && tokenMatches(message.token, session.viewer.tokenHash)
          ? 'viewer'
          : undefined;
    if (!session || !role) {
      metrics.resumes.inc({ outcome: 'failed' });
      return this.reject(conn, SignalingErrorCode.ResumeFailed, RESUME_FAILED);
    }
    const token = generateResumeToken();
    const viewer = session.viewer;
    let previous: string;
    let peerId: string | undefined;
    if (role === 'host') {
      previous = session.hostConnectionId;
      session.hostConnectionId = conn.id;
      session.hostTokenHash = hashResumeToken(token);
      delete session.hostAwayUntil;
      peerId = viewer?.admitted && !viewer.awayUntil ? viewer.connectionId : undefined;
    } else {
      const seat = viewer!;
      previous = seat.connectionId;
      seat.connectionId = conn.id;
      seat.tokenHash = hashResumeToken(token);
      delete seat.awayUntil;
      peerId = session.hostAwayUntil ? undefined : session.hostConnectionId;
    }
    // Handed again while fresh: a side resuming in a loop must not tap fresh relay credentials.
    const iceServers = this.iceServers(session, role);
    const peerIce = peerId ? this.iceServers(session, role === 'host' ? 'viewer' : 'host') : [];
    await store.put(session);
    if (previous !== conn.id) router.close(previous, 'resumed elsewhere');
    conn.role = role;
    conn.code = session.code;
    conn.peerAway = !peerId && (role === 'viewer' || Boolean(viewer?.admitted));
    metrics.resumes.inc({ outcome: role });
    auditSession(this.deps.audit, session, { type: 'session.resumed', role });
    conn.send(this.tokenMessage(session.code, token));
    conn.send({
      type: 'session.resumed',
      role,
      peerPresent: Boolean(peerId),
      ...(role === 'host' && viewer?.admitted
        ? { peerName: viewer.name, ...(viewer.identity ? { peerIdentity: viewer.identity } : {}) }
        : {}),
      iceServers,
    });
    if (peerId) {
      this.pairBoth(conn.id, peerId);
      router.send(peerId, { type: 'peer.back', renew: role === 'viewer' && message.fresh, iceServers: peerIce });
    }
    // A consent prompt the host missed while away is asked again.
    if (role === 'host' && viewer && !viewer.admitted)
      conn.send({
        type: 'join.request',
        requestId: viewer.requestId,
        ...claimOf(viewer),
        ...(viewer.help ? { description: viewer.help.description } : {}),
        iceServers,
      });
  }

  private pairBoth(a: string, b: string): void {
    this.deps.router.pair(a, b);
    this.deps.router.pair(b, a);
  }

  /**
   * The side's ICE servers, its TURN grant re-used while fresh; a new grant is kept on the record (the caller
   * stores it). Labels are random, nothing from the session: TURN usernames end up in coturn's logs.
   */
  private iceServers(session: SessionRecord, side: 'host' | 'viewer') {
    const { config } = this.deps;
    if (side === 'host') return iceServersWith(config, (session.hostTurn = grantFor(config, session.hostTurn, generateTurnLabel)));
    const seat = session.viewer!;
    return iceServersWith(config, (seat.turn = grantFor(config, seat.turn, generateTurnLabel)));
  }

  private tokenMessage(code: string, token: string) {
    return { type: 'resume.token', code, token, graceMs: this.deps.config.resumeGraceMs } as const;
  }

  private invite(s: SessionRecord): string {
    return `${this.deps.inviteBase()}/#join?code=${s.code}&pin=${s.pin}&v=${PROTOCOL_VERSION}`;
  }

  private badState(conn: ClientConnection, why: string): void {
    this.reject(conn, SignalingErrorCode.BadState, why);
  }

  /** Every refusal goes through here: counted, explained, and the connection closed after repeated abuse. */
  reject(conn: ClientConnection, code: SignalingErrorCode, message: string, retryAfterMs?: number): void {
    this.deps.metrics.rejected.inc({ reason: code });
    conn.send({ type: 'error', code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    conn.rejected += 1;
    if (conn.rejected >= this.deps.config.maxRejectedMessages) conn.socket.close(1008, 'too many rejected messages');
  }
}

/** Who the host is told is asking: the name, and the verified identity when the technician signed in. */
const claimOf = (v: SessionViewer) => ({ name: v.name, ...(v.identity ? { identity: v.identity } : {}) });

/** Logs never carry a whole code. */
const mask = (code: string) => `${code.slice(0, 3)}******`;
