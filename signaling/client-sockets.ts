import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { SignalingErrorCode } from '../protocol/error-codes';
import type { VerifiedIdentity } from '../protocol/signaling-messages';
import { PROTOCOL_VERSION } from '../protocol/limits';
import { ClientConnection } from './client-connection';
import type { SignalingConfig } from './config';
import { DueQueue } from './due-queue';
import { parseClientFrame } from './frame-parser';
import type { SignalingMetrics } from './metrics';
import type { HelpQueue } from './queue/help-queue';
import { isQueueMessage } from './queue/help-queue';
import type { SessionBroker } from './session-broker';

export interface ClientSocketDeps {
  /** This node's id: connection ids name it, so another node can route to them. */
  node: string;
  config: SignalingConfig;
  broker: SessionBroker;
  /** The support queue (queue/): its messages, and a host's leave or close takes its waiting request with it. */
  queue: Pick<HelpQueue, 'handle' | 'disconnected' | 'socketClosed'>;
  metrics: SignalingMetrics;
  log: Logger;
  /** Every connection on this node by id (shared with the router). */
  connections: Map<string, ClientConnection>;
}

/** One less for `key`; a count that reaches zero leaves the map (so an address seen once is not kept forever). */
function countDown(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

/**
 * The WebSocket clients of this node: accepting one, its frames into the broker, its close, and its heartbeat.
 * The socket listeners are shared by every connection (`this` is the socket) instead of four closures each: at
 * 18,000 connections what each one holds is most of what the server holds.
 */
export class ClientSockets {
  private readonly connectionOf = new WeakMap<WebSocket, ClientConnection>();
  private readonly perAddress = new Map<string, number>();
  private connectionSeq = 0;
  // Each connection is pinged on its own schedule (from when it opened) and the timer runs often, so each tick
  // pings only a few: pinging thousands in one go stalls the event loop and shows up as relay latency spikes.
  private readonly pingsDue = new DueQueue<ClientConnection>();
  private readonly idleChecksDue = new DueQueue<ClientConnection>();
  private readonly onPong: (this: WebSocket) => void;
  private readonly onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  private readonly onClose: (this: WebSocket) => void;
  private readonly onSocketError = (err: Error) => this.deps.log.debug({ err }, 'socket error');

  constructor(private readonly deps: ClientSocketDeps) {
    const of = (ws: WebSocket) => this.connectionOf.get(ws);
    const received = (conn: ClientConnection, data: RawData, isBinary: boolean) => this.received(conn, data, isBinary);
    const closed = (ws: WebSocket, conn: ClientConnection) => this.closed(ws, conn);
    this.onPong = function (this: WebSocket) {
      const conn = of(this);
      if (conn) conn.alive = true;
    };
    this.onMessage = function (this: WebSocket, data: RawData, isBinary: boolean) {
      const conn = of(this);
      if (conn) received(conn, data, isBinary);
    };
    this.onClose = function (this: WebSocket) {
      const conn = of(this);
      if (conn) closed(this, conn);
    };
  }

  /** WebSocket connections open from `address` now. */
  countFor(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** `identity`: the technician the upgrade's sign-in cookie verified, if any. */
  accept(ws: WebSocket, address: string, identity?: VerifiedIdentity, codeEnding?: string): void {
    const { node, config, connections, metrics } = this.deps;
    const conn = new ClientConnection(
      `${node}.${(++this.connectionSeq).toString(36)}`,
      address,
      ws,
      config.messagesPerSecond,
      config.messageBurst,
    );
    conn.identity = identity;
    conn.codeEnding = codeEnding;
    this.connectionOf.set(ws, conn);
    connections.set(conn.id, conn);
    this.pingsDue.push(conn.openedAt + config.heartbeatIntervalMs, conn);
    this.idleChecksDue.push(conn.openedAt + config.unboundIdleTimeoutMs, conn);
    this.perAddress.set(address, this.countFor(address) + 1);
    metrics.connections.inc();
    conn.send({ type: 'hello', v: PROTOCOL_VERSION });
    ws.on('pong', this.onPong);
    ws.on('message', this.onMessage);
    ws.on('error', this.onSocketError);
    ws.on('close', this.onClose);
  }

  private received(conn: ClientConnection, data: RawData, isBinary: boolean): void {
    const { broker, log } = this.deps;
    if (!conn.bucket.take()) return broker.reject(conn, SignalingErrorCode.RateLimited, undefined, conn.bucket.msUntilToken());
    const frame = parseClientFrame(data, isBinary);
    if (!frame.ok) return broker.reject(conn, frame.code, frame.message);
    if (frame.message.type === 'signal') {
      try {
        return broker.relay(conn, frame.bytes);
      } catch (err) {
        // Same promise as every other message: a failure is logged and answered, never thrown into ws's emitter.
        log.error({ err }, 'relay failed');
        return broker.reject(conn, SignalingErrorCode.Internal);
      }
    }
    const message = frame.message;
    const handled = isQueueMessage(message)
      ? this.deps.queue.handle(conn, message)
      : message.type === 'leave'
        ? this.deps.queue.disconnected(conn).then(() => broker.handle(conn, message))
        : broker.handle(conn, message);
    handled.catch((err: unknown) => {
      log.error({ err }, 'message handling failed');
      broker.reject(conn, SignalingErrorCode.Internal);
    });
  }

  private closed(ws: WebSocket, conn: ClientConnection): void {
    const { connections, metrics, broker, log } = this.deps;
    this.connectionOf.delete(ws);
    connections.delete(conn.id);
    countDown(this.perAddress, conn.address);
    metrics.connections.dec();
    broker.disconnected(conn).catch((err: unknown) => log.error({ err }, 'cleanup failed'));
    this.deps.queue.socketClosed(conn).catch((err: unknown) => log.error({ err }, 'queue cleanup failed'));
  }

  /** Pings the connections due (a silent one since the last ping is cut) and closes those idle without a session. */
  heartbeat(now: number): void {
    const { connections, config } = this.deps;
    for (const conn of this.pingsDue.takeDue(now)) {
      if (!connections.has(conn.id)) continue;
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
      this.pingsDue.push(now + config.heartbeatIntervalMs, conn);
    }
    for (const conn of this.idleChecksDue.takeDue(now)) {
      if (!connections.has(conn.id)) continue;
      const idleUntil = conn.unboundSince + config.unboundIdleTimeoutMs;
      if (conn.role === 'none' && idleUntil <= now) conn.socket.close(1000, 'idle');
      else this.idleChecksDue.push(conn.role === 'none' ? idleUntil : now + config.unboundIdleTimeoutMs, conn);
    }
  }
}
