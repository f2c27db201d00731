import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { type RawData, WebSocketServer, type WebSocket } from 'ws';
import { SignalingErrorCode } from '../protocol/error-codes';
import { MAX_SIGNALING_FRAME_BYTES, PROTOCOL_VERSION } from '../protocol/limits';
import { ClientConnection } from './client-connection';
import { resolveConfig, type SignalingConfig } from './config';
import { parseClientFrame } from './frame-parser';
import { DueQueue } from './due-queue';
import { createHttpHandler } from './http-handler';
import { createAddressLimits } from './address-limits';
import { clientAddress } from './client-address';
import { LocalConnections, LocalRouter, type ConnectionRouter } from './connection-router';
import { KeyedQueue } from './keyed-queue';
import { createMetrics } from './metrics';
import { allowedOrigins, isOriginAllowed } from './origin-policy';
import { connectRedisBackend } from './redis/redis-backend';
import { SessionBroker, type SessionLocks } from './session-broker';
import { MemorySessionStore, type SessionStore } from './session-store';
import { SignIn } from './auth/sign-in';
import { HelpQueue, isQueueMessage } from './queue/help-queue';
import { MemoryQueueStore } from './queue/queue-store';
import { RedisQueueStore } from './queue/redis-queue-store';

export interface RunningSignalingServer {
  /** http(s)://host:port of the listening server. */
  url: string;
  /** ws(s)://host:port/ws */
  wsUrl: string;
  port: number;
  config: SignalingConfig;
  metrics: ReturnType<typeof createMetrics>;
  /** Tells every peer the server is going away, then closes. */
  close(): Promise<void>;
}

export interface StartOptions extends Partial<SignalingConfig> {
  logger?: Logger;
}

/** Where sessions live, and what a node needs from that place. */
interface SessionBackend {
  store: SessionStore;
  locks: SessionLocks;
  router: ConnectionRouter;
  /** The client the address limits share (none: they count in this process). */
  limitsRedis?: Redis;
  /** Shared store only: hands the sessions of nodes that died to `check`. */
  reapDeadNodes?: (check: (codes: string[]) => Promise<void>) => Promise<void>;
  close(): Promise<void>;
}

/** This process (default; embedded and LAN use) or Redis shared with other nodes. */
async function sessionBackend(config: SignalingConfig, node: string, local: LocalConnections, log: Logger): Promise<SessionBackend> {
  if (config.redisUrl) {
    const { redis, store, locks, router, close } = await connectRedisBackend(config.redisUrl, node, local, log);
    return { store, locks, router, limitsRedis: redis, reapDeadNodes: (check) => router.reapDeadNodes(check), close };
  }
  return { store: new MemorySessionStore(), locks: new KeyedQueue(), router: new LocalRouter(local), close: async () => undefined };
}

/** One less for `key`; a count that reaches zero leaves the map (so an address seen once is not kept forever). */
function countDown(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

/** Starts the signaling server; used by the CLI, the Electron main process and the tests alike. */
export async function startSignalingServer(options: StartOptions = {}): Promise<RunningSignalingServer> {
  const { logger, ...partial } = options;
  const config = resolveConfig(partial);
  const log = logger ?? pino({ level: config.logLevel, name: 'peerdesk-signaling' });
  const tls = Boolean(config.tlsCertFile && config.tlsKeyFile);
  const metrics = createMetrics();
  const local = new LocalConnections();
  const connections = local.byId;
  const perAddress = new Map<string, number>();
  // Connection ids name their node, so another node can route to them.
  const node = randomUUID().slice(0, 8);
  const backend = await sessionBackend(config, node, local, log);
  const { store } = backend;
  const limits = createAddressLimits(
    {
      failuresBeforeBackoff: config.joinFailuresBeforeBackoff,
      baseMs: config.joinBackoffBaseMs,
      maxMs: config.joinBackoffMaxMs,
      opensPerMinute: config.hostOpensPerMinute,
    },
    backend.limitsRedis,
  );

  let selfUrl = '';
  let origins = new Set<string>();
  const broker = new SessionBroker({
    // The support queue (queue/, created below) puts a picked request back or ends it when the pick comes to nothing.
    onPickUndone: (session, viewer, requeue) => queue.pickUndone(session, viewer, requeue),
    config,
    store,
    locks: backend.locks,
    limits,
    metrics,
    log,
    router: backend.router,
    inviteBase: () => (config.publicUrl ?? selfUrl).replace(/\/$/, ''),
  });

  // Technician sign-in (auth/): /auth/* routes, and the verified identity each WebSocket carries.
  const signIn = new SignIn(config, log, () => origins);
  const queueStore = backend.limitsRedis ? await RedisQueueStore.start(backend.limitsRedis) : new MemoryQueueStore();
  const queue = new HelpQueue({
    config,
    queue: queueStore,
    sessions: store,
    locks: backend.locks,
    router: backend.router,
    log,
    signInEnabled: () => signIn.isEnabled,
    reject: (conn, code, message, retryAfterMs) => broker.reject(conn, code, message, retryAfterMs),
    localConnection: (id) => connections.get(id),
    redis: backend.limitsRedis,
  });
  const handler = createHttpHandler({
    signIn,
    metrics,
    staticDir: config.staticDir,
    health: async () => {
      if (!store.healthy()) throw new Error('session store unreachable');
      return { node, connections: connections.size, sessions: await store.size(), protocol: PROTOCOL_VERSION };
    },
  });
  // Half-finished requests are cut after headersTimeout, checked every second instead of Node's 30 s.
  const timeouts = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.headersTimeoutMs * 2,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  };
  const server: Server = tls
    ? createHttpsServer({ cert: readFileSync(config.tlsCertFile!), key: readFileSync(config.tlsKeyFile!), ...timeouts }, handler)
    : createHttpServer(timeouts, handler);

  // Slowloris: an address may hold only a few connections whose request has not arrived in full. One shared close
  // listener, removed when the request arrives: nothing of this stays with a connection that got through.
  const pendingPerAddress = new Map<string, number>();
  const pendingAddress = new Map<Socket, string>();
  function forgetPending(this: Socket) {
    requestArrived(this);
  }
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    // A trusted proxy holds many clients' requests; it guards against half-sent requests itself.
    if (config.trustedProxies.includes(address)) return;
    const open = pendingPerAddress.get(address) ?? 0;
    if (open >= config.maxPendingUpgradesPerAddress) {
      metrics.rejected.inc({ reason: 'SIG_ERR_TOO_MANY_PENDING' });
      socket.destroy();
      return;
    }
    pendingPerAddress.set(address, open + 1);
    pendingAddress.set(socket, address);
    socket.on('close', forgetPending);
  });
  /** The socket's request arrived in full, or it closed before: it no longer counts as pending (once). */
  const requestArrived = (socket: Socket) => {
    const address = pendingAddress.get(socket);
    if (address === undefined) return;
    pendingAddress.delete(socket);
    socket.off('close', forgetPending);
    countDown(pendingPerAddress, address);
  };
  server.on('request', (req: IncomingMessage) => requestArrived(req.socket));

  // ws enforces a hard ceiling well above ours, so an oversize frame gets a coded error instead of a bare close.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SIGNALING_FRAME_BYTES * 4,
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('headers', (headers, req) => signIn.upgradeHeaders(headers, req));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requestArrived(req.socket);
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if ((req.url ?? '').split('?')[0] !== '/ws') return refuse(404, 'Not Found');
    if (!isOriginAllowed(req.headers.origin, origins)) {
      metrics.rejected.inc({ reason: 'SIG_ERR_ORIGIN' });
      return refuse(403, 'Forbidden');
    }
    const address = clientAddress(req, config.trustedProxies);
    if ((perAddress.get(address) ?? 0) >= config.maxConnectionsPerAddress) {
      metrics.rejected.inc({ reason: 'SIG_ERR_TOO_MANY_CONNECTIONS' });
      return refuse(429, 'Too Many Requests');
    }
    void signIn
      .identifyUpgrade(req)
      .then((identity) => wss.handleUpgrade(req, socket, head, (ws) => (accept(ws, address).identity = identity)));
  });

  // The socket listeners are shared by every connection (`this` is the socket) instead of four closures each:
  // at 18,000 connections what each one holds is most of what the server holds.
  const connectionOf = new WeakMap<WebSocket, ClientConnection>();
  let connectionSeq = 0;

  function accept(ws: WebSocket, address: string): ClientConnection {
    const conn = new ClientConnection(
      `${node}.${(++connectionSeq).toString(36)}`,
      address,
      ws,
      config.messagesPerSecond,
      config.messageBurst,
    );
    connectionOf.set(ws, conn);
    connections.set(conn.id, conn);
    pingsDue.push(conn.openedAt + config.heartbeatIntervalMs, conn);
    idleChecksDue.push(conn.openedAt + config.unboundIdleTimeoutMs, conn);
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    metrics.connections.inc();
    conn.send({ type: 'hello', v: PROTOCOL_VERSION });
    ws.on('pong', onPong);
    ws.on('message', onMessage);
    ws.on('error', onSocketError);
    ws.on('close', onClose);
    return conn;
  }

  function onPong(this: WebSocket) {
    const conn = connectionOf.get(this);
    if (conn) conn.alive = true;
  }

  function onMessage(this: WebSocket, data: RawData, isBinary: boolean) {
    const conn = connectionOf.get(this);
    if (!conn) return;
    if (!conn.bucket.take())
      return broker.reject(conn, SignalingErrorCode.RateLimited, 'too many messages; slow down', conn.bucket.msUntilToken());
    const frame = parseClientFrame(data, isBinary);
    if (!frame.ok) return broker.reject(conn, frame.code, frame.message);
    if (frame.message.type === 'signal') {
      try {
        return broker.relay(conn, frame.bytes);
      } catch (err) {
        // Same promise as every other message: a failure is logged and answered, never thrown into ws's emitter.
        log.error({ err }, 'relay failed');
        return broker.reject(conn, SignalingErrorCode.Internal, 'internal error');
      }
    }
    const message = frame.message;
    // A host that leaves takes its waiting help request with it.
    const handled = isQueueMessage(message)
      ? queue.handle(conn, message)
      : message.type === 'leave'
        ? queue.disconnected(conn).then(() => broker.handle(conn, message))
        : broker.handle(conn, message);
    handled.catch((err: unknown) => {
      log.error({ err }, 'message handling failed');
      broker.reject(conn, SignalingErrorCode.Internal, 'internal error');
    });
  }

  function onSocketError(err: Error) {
    log.debug({ err }, 'socket error');
  }

  function onClose(this: WebSocket) {
    const conn = connectionOf.get(this);
    if (!conn) return;
    connectionOf.delete(this);
    connections.delete(conn.id);
    countDown(perAddress, conn.address);
    metrics.connections.dec();
    broker.disconnected(conn).catch((err: unknown) => log.error({ err }, 'cleanup failed'));
    queue.disconnected(conn).catch((err: unknown) => log.error({ err }, 'queue cleanup failed'));
  }

  // Each connection is pinged on its own schedule (from when it opened) and the timer runs often, so each tick
  // pings only a few: pinging thousands in one go stalls the event loop and shows up as relay latency spikes.
  const pingsDue = new DueQueue<ClientConnection>();
  const idleChecksDue = new DueQueue<ClientConnection>();
  const heartbeat = setInterval(
    () => {
      const now = Date.now();
      for (const conn of pingsDue.takeDue(now)) {
        if (!connections.has(conn.id)) continue;
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
        pingsDue.push(now + config.heartbeatIntervalMs, conn);
      }
      for (const conn of idleChecksDue.takeDue(now)) {
        if (!connections.has(conn.id)) continue;
        const idleUntil = conn.unboundSince + config.unboundIdleTimeoutMs;
        if (conn.role === 'none' && idleUntil <= now) conn.socket.close(1000, 'idle');
        else idleChecksDue.push(conn.role === 'none' ? idleUntil : now + config.unboundIdleTimeoutMs, conn);
      }
    },
    Math.max(5, Math.min(20, config.heartbeatIntervalMs / 4)),
  );

  const sweeper = setInterval(() => {
    if (!store.healthy()) return;
    broker.sweepDue().catch((err: unknown) => log.error({ err }, 'sweep failed'));
    backend.reapDeadNodes?.((codes) => broker.checkSessions(codes)).catch((err: unknown) => log.error({ err }, 'reaping failed'));
  }, config.sweepIntervalMs);
  heartbeat.unref();
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = config.host.includes(':') ? `[${config.host}]` : config.host;
  selfUrl = `${tls ? 'https' : 'http'}://${hostPart}:${port}`;
  origins = allowedOrigins({
    tls,
    host: config.host,
    port,
    publicUrl: config.publicUrl,
    extra: config.allowedOrigins,
    interfaces: networkInterfaces(),
  });
  log.info({ url: selfUrl, tls }, 'signaling server listening');
  await signIn.start(config.publicUrl ?? selfUrl, tls);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      clearInterval(heartbeat);
      clearInterval(sweeper);
      broker.dispose();
      queue.dispose();
      // With a shared store the sessions live on: clients resume on another node (or this one, restarted).
      // Without one they end here, and each side is told so.
      for (const conn of connections.values()) {
        if (conn.role !== 'none' && !store.shared) conn.send({ type: 'session.ended', reason: 'server-shutdown' });
        conn.socket.close(store.shared ? 1012 : 1001, store.shared ? 'server restarting' : 'server shutting down');
      }
      wss.close();
      server.close(() => void Promise.all([queueStore.close(), backend.close(), signIn.close()]).then(() => resolve()));
      server.closeAllConnections();
      // Sockets that ignore the close handshake are cut after a grace period.
      setTimeout(() => {
        for (const conn of connections.values()) conn.socket.terminate();
      }, 2000).unref();
    }));

  return { url: selfUrl, wsUrl: `${selfUrl.replace(/^http/, 'ws')}/ws`, port, config, metrics, close };
}
