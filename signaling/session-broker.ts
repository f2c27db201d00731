import type { Logger } from 'pino';
import { SignalingErrorCode } from '../protocol/error-codes';
import { MAX_WRONG_PINS_PER_CODE, PROTOCOL_VERSION } from '../protocol/limits';
import type { ClientMessage, EndReason } from '../protocol/signaling-messages';
import type { ClientConnection } from './client-connection';
import type { SignalingConfig } from './config';
import type { JoinLimiter } from './join-limiter';
import type { OpenLimiter } from './open-limiter';
import { KeyedQueue } from './keyed-queue';
import type { SignalingMetrics } from './metrics';
import { generatePin, generateRequestId, generateSessionCode, generateTurnLabel, pinsEqual } from './session-codes';
import type { SessionRecord, SessionStore } from './session-store';
import { iceServersFor } from './turn-credentials';

type Msg<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

export interface BrokerDeps {
  config: SignalingConfig;
  store: SessionStore;
  limiter: JoinLimiter;
  opens: OpenLimiter;
  metrics: SignalingMetrics;
  log: Logger;
  /** Connection lookup by id (sessions store ids, not sockets). */
  connection: (id: string) => ClientConnection | undefined;
  inviteBase: () => string;
}

/** Wrong code, wrong PIN, locked and expired look the same to a viewer: no enumeration. */
const JOIN_FAILED = 'The code or PIN is not valid, or the session has ended.';

/** The session protocol: open, join, consent, relay, leave. One instance per server. */
export class SessionBroker {
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: BrokerDeps) {}

  /**
   * Relays a signal frame as received: it already passed the strict schema, so it is forwarded unchanged.
   * Synchronous on purpose: signals are the bulk of the traffic and need no store access.
   */
  relay(conn: ClientConnection, bytes: Buffer): void {
    if (!conn.peer) return this.reject(conn, SignalingErrorCode.NotPaired, 'signals are relayed only between an admitted host and viewer');
    // Client and server signal frames have the same shape ({ type: 'signal', data }).
    conn.peer.forward(bytes);
    this.deps.metrics.relayed.inc();
  }

  /** Every other client message: these touch the session store and run one at a time per session code. */
  async handle(conn: ClientConnection, message: Exclude<ClientMessage, { type: 'signal' }>): Promise<void> {
    switch (message.type) {
      case 'host.open':
        return this.open(conn);
      case 'viewer.join':
        return this.queue.run(message.code, () => this.join(conn, message));
      case 'host.decide':
        return conn.code ? this.queue.run(conn.code, () => this.decide(conn, message)) : this.badState(conn, 'no open session');
      case 'leave':
        return this.leave(conn, message.reason ?? (conn.role === 'host' ? 'host-left' : 'viewer-left'));
    }
  }

  /** Called for an explicit leave and when a socket closes. */
  async leave(conn: ClientConnection, reason: EndReason): Promise<void> {
    const code = conn.code;
    if (!code) return;
    await this.queue.run(code, async () => {
      const session = await this.deps.store.get(code);
      if (conn.role === 'host') {
        await this.deps.store.delete(code);
        this.deps.metrics.sessions.dec();
        const viewer = session?.viewer && this.deps.connection(session.viewer.connectionId);
        viewer?.send({ type: 'session.ended', reason });
        viewer?.unbind();
      } else if (conn.role === 'viewer' && session?.viewer?.connectionId === conn.id) {
        delete session.viewer;
        session.expiresAt = Date.now() + this.deps.config.sessionTtlMs;
        await this.deps.store.put(session);
        const host = this.deps.connection(session.hostConnectionId);
        host?.send({ type: 'peer.left', reason });
        if (host) host.peer = undefined;
      }
      conn.unbind();
    });
  }

  /** Ends unused sessions whose code expired. */
  async sweepExpired(now = Date.now()): Promise<void> {
    for (const code of await this.deps.store.expired(now)) {
      await this.queue.run(code, async () => {
        const session = await this.deps.store.get(code);
        if (!session || session.viewer || session.expiresAt > now) return;
        await this.deps.store.delete(code);
        this.deps.metrics.sessions.dec();
        const host = this.deps.connection(session.hostConnectionId);
        host?.send({ type: 'session.ended', reason: 'expired' });
        host?.unbind();
      });
    }
  }

  private async open(conn: ClientConnection): Promise<void> {
    if (conn.role !== 'none') return this.badState(conn, 'this connection already belongs to a session');
    if (!this.deps.opens.take(conn.address)) {
      const wait = this.deps.opens.retryAfter(conn.address);
      return this.reject(
        conn,
        SignalingErrorCode.OpenBackoff,
        'Too many sessions opened from this address; wait before opening another.',
        wait,
      );
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const record: SessionRecord = {
        code: generateSessionCode(),
        pin: generatePin(),
        hostConnectionId: conn.id,
        expiresAt: Date.now() + this.deps.config.sessionTtlMs,
        wrongPins: 0,
        locked: false,
      };
      if (!(await this.deps.store.create(record))) continue;
      conn.role = 'host';
      conn.code = record.code;
      this.deps.metrics.sessions.inc();
      conn.send({ type: 'host.opened', code: record.code, pin: record.pin, inviteUrl: this.invite(record), expiresAt: record.expiresAt });
      return;
    }
    this.reject(conn, SignalingErrorCode.Internal, 'could not allocate a session code');
  }

  private async join(conn: ClientConnection, message: Msg<'viewer.join'>): Promise<void> {
    if (conn.role !== 'none') return this.badState(conn, 'this connection already belongs to a session');
    const { limiter, store, metrics } = this.deps;
    const wait = limiter.retryAfter(conn.address);
    if (wait > 0) {
      metrics.joins.inc({ outcome: 'backoff' });
      return this.reject(conn, SignalingErrorCode.JoinBackoff, 'Too many failed attempts; wait before trying again.', wait);
    }
    const session = await store.get(message.code);
    const usable = session && !session.locked && (session.viewer || session.expiresAt > Date.now());
    if (!session || !usable || !pinsEqual(session.pin, message.pin)) {
      limiter.recordFailure(conn.address);
      metrics.joins.inc({ outcome: 'failed' });
      this.reject(conn, SignalingErrorCode.JoinFailed, JOIN_FAILED);
      if (session && !session.locked) await this.wrongPin(session);
      return;
    }
    if (session.viewer) {
      metrics.joins.inc({ outcome: 'busy' });
      return this.reject(conn, SignalingErrorCode.SessionBusy, 'Someone else is already connected to this session.');
    }
    const requestId = generateRequestId();
    session.viewer = { connectionId: conn.id, requestId, name: message.name, admitted: false };
    await store.put(session);
    conn.role = 'viewer';
    conn.code = session.code;
    metrics.joins.inc({ outcome: 'pending' });
    conn.send({ type: 'join.pending' });
    this.deps.connection(session.hostConnectionId)?.send({ type: 'join.request', requestId, name: message.name });
  }

  /**
   * Counts a wrong PIN on a live code and tells its host. The lock ends a session nobody is connected to at
   * once (its code is burnt; waiting for the TTL would leave the host staring at a dead code), but never a
   * live pairing: a guesser who knows only the code must not be able to cut a helpdesk session. The guesser
   * gets the same JOIN_FAILED as for any other failure.
   */
  private async wrongPin(session: SessionRecord): Promise<void> {
    session.wrongPins += 1;
    session.locked = session.wrongPins >= MAX_WRONG_PINS_PER_CODE;
    const host = this.deps.connection(session.hostConnectionId);
    host?.send({ type: 'join.failed', attempts: session.wrongPins, maxAttempts: MAX_WRONG_PINS_PER_CODE });
    if (!session.locked || session.viewer?.admitted) return this.deps.store.put(session);
    this.deps.log.warn({ code: mask(session.code) }, 'session code locked after wrong PINs; session ended');
    await this.deps.store.delete(session.code);
    this.deps.metrics.sessions.dec();
    const viewer = session.viewer && this.deps.connection(session.viewer.connectionId);
    for (const peer of [host, viewer]) {
      peer?.send({ type: 'session.ended', reason: 'locked' });
      peer?.unbind();
    }
    if (host) host.peer = undefined;
  }

  private async decide(conn: ClientConnection, message: Msg<'host.decide'>): Promise<void> {
    const session = conn.code ? await this.deps.store.get(conn.code) : undefined;
    if (conn.role !== 'host' || !session || session.hostConnectionId !== conn.id) return this.badState(conn, 'not the host of a session');
    const pending = session.viewer;
    if (!pending || pending.admitted || pending.requestId !== message.requestId) return this.badState(conn, 'no such join request');
    const viewer = this.deps.connection(pending.connectionId);
    if (!viewer) return this.badState(conn, 'the viewer is gone');

    // PINs are one-time once a join is decided either way: the next viewer needs the new one.
    session.pin = generatePin();
    if (!message.allow) {
      delete session.viewer;
      await this.deps.store.put(session);
      this.deps.metrics.joins.inc({ outcome: 'denied' });
      viewer.send({ type: 'join.denied', ...(message.reason ? { reason: message.reason } : {}) });
      viewer.unbind();
      conn.send({ type: 'session.pin', pin: session.pin, inviteUrl: this.invite(session), expiresAt: session.expiresAt });
      return;
    }
    session.viewer = { ...pending, admitted: true };
    await this.deps.store.put(session);
    conn.peer = viewer;
    viewer.peer = conn;
    this.deps.metrics.joins.inc({ outcome: 'admitted' });
    // Random, and nothing from the session: TURN usernames end up in coturn's logs.
    const label = generateTurnLabel();
    viewer.send({ type: 'join.accepted', iceServers: iceServersFor(this.deps.config, label) });
    conn.send({
      type: 'peer.admitted',
      requestId: pending.requestId,
      name: pending.name,
      iceServers: iceServersFor(this.deps.config, label),
    });
    conn.send({ type: 'session.pin', pin: session.pin, inviteUrl: this.invite(session), expiresAt: session.expiresAt });
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

/** Logs never carry a whole code. */
const mask = (code: string) => `${code.slice(0, 3)}******`;
