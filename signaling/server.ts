import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { PROTOCOL_VERSION } from '../protocol/limits';
import { createAddressLimits } from './address-limits';
import type { AuditSink } from './audit/audit-sink';
import { startAudit } from './audit/audit-service';
import { auditRoutes } from './audit/audit-routes';
import { auditShutdown } from './audit/broker-audit';
import { startRecordings, UPLOAD_REQUEST_TIMEOUT_MS } from './recordings/recordings-service';
import type { ClientConnection } from './client-connection';
import { ClientSockets } from './client-sockets';
import { resolveConfig, type SignalingConfig } from './config';
import { LocalConnections, LocalRouter, type ConnectionRouter } from './connection-router';
import { createHttpHandler } from './http-handler';
import { KeyedQueue } from './keyed-queue';
import { createMetrics, type SignalingMetrics } from './metrics';
import { startMetricsListener } from './metrics-access';
import { allowedOrigins } from './origin-policy';
import { connectRedisBackend } from './redis/redis-backend';
import { SessionBroker, type SessionLocks } from './session-broker';
import { MemorySessionStore, type SessionStore } from './session-store';
import { guardUpgrades, type UpgradeGuard } from './upgrade-guard';
import { SignIn } from './auth/sign-in';
import { HelpQueue } from './queue/help-queue';
import { isRecordingUpload, withRequestDeadline } from './request-deadline';

export interface RunningSignalingServer {
  /** http(s)://host:port of the listening server. */
  url: string;
  /** ws(s)://host:port/ws */
  wsUrl: string;
  port: number;
  config: SignalingConfig;
  metrics: ReturnType<typeof createMetrics>;
  /** http://host:port/metrics of the metrics listener (`metricsListen`), if one was asked for. */
  metricsUrl?: string;
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
    const { redis, store, locks, router, close } = await connectRedisBackend(config.redisUrl, node, local, log, config.nodeDeadAfterMs);
    return { store, locks, router, limitsRedis: redis, reapDeadNodes: (check) => router.reapDeadNodes(check), close };
  }
  return { store: new MemorySessionStore(), locks: new KeyedQueue(), router: new LocalRouter(local), close: async () => undefined };
}

/** The protocol and the limits it enforces, over the chosen back-end. */
function createBroker(
  config: SignalingConfig,
  parts: { backend: SessionBackend; metrics: SignalingMetrics; log: Logger; audit: AuditSink; queue: () => HelpQueue },
  inviteBase: () => string,
) {
  const { backend, metrics, log, audit, queue } = parts;
  const limits = createAddressLimits(
    {
      failuresBeforeBackoff: config.joinFailuresBeforeBackoff,
      baseMs: config.joinBackoffBaseMs,
      maxMs: config.joinBackoffMaxMs,
      opensPerMinute: config.hostOpensPerMinute,
      resumesPerMinute: config.resumesPerMinute,
    },
    backend.limitsRedis,
  );
  const { store, locks, router } = backend;
  return new SessionBroker({
    config,
    store,
    locks,
    limits,
    metrics,
    log,
    router,
    audit,
    // The support queue puts a picked request back, or ends it, when the pick comes to nothing.
    onPickUndone: (session, viewer, requeue) => queue().pickUndone(session, viewer, requeue),
    inviteBase: () => inviteBase().replace(/\/$/, ''),
  });
}

/** HTTP(S) server whose half-finished requests are cut after headersTimeout, checked every second instead of Node's 30 s. */
function createListener(config: SignalingConfig, handler: RequestListener): Server {
  const requestTimeout = config.headersTimeoutMs * 2;
  const timeouts = {
    headersTimeout: config.headersTimeoutMs,
    // A recording's upload is one long request body (recording-upload.ts cuts one that stalls): Node's server-wide
    // figure is the upload's, and request-deadline.ts keeps the short one for every other route.
    requestTimeout: config.recordingsDir ? Math.max(UPLOAD_REQUEST_TIMEOUT_MS, requestTimeout) : requestTimeout,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  };
  if (config.recordingsDir) handler = withRequestDeadline(handler, requestTimeout, isRecordingUpload);
  return isTls(config)
    ? createHttpsServer({ cert: readFileSync(config.tlsCertFile!), key: readFileSync(config.tlsKeyFile!), ...timeouts }, handler)
    : createHttpServer(timeouts, handler);
}

const isTls = (config: SignalingConfig) => Boolean(config.tlsCertFile && config.tlsKeyFile);

async function listen(server: Server, config: SignalingConfig): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Heartbeats and overdue requests every few milliseconds; session deadlines and dead nodes every sweep interval. */
function startTimers(
  config: SignalingConfig,
  parts: { clients: ClientSockets; guard: UpgradeGuard; broker: SessionBroker; backend: SessionBackend; log: Logger },
) {
  const { clients, guard, broker, backend, log } = parts;
  const heartbeat = setInterval(
    () => {
      const now = Date.now();
      guard.sweep(now);
      clients.heartbeat(now);
    },
    Math.max(5, Math.min(20, config.heartbeatIntervalMs / 4)),
  );
  const sweeper = setInterval(() => {
    if (!backend.store.healthy()) return;
    broker.sweepDue().catch((err: unknown) => log.error({ err }, 'sweep failed'));
    backend.reapDeadNodes?.((codes) => broker.checkSessions(codes)).catch((err: unknown) => log.error({ err }, 'reaping failed'));
  }, config.sweepIntervalMs);
  heartbeat.unref();
  sweeper.unref();
  return () => {
    clearInterval(heartbeat);
    clearInterval(sweeper);
  };
}

interface Closing {
  stopTimers: () => void;
  broker: SessionBroker;
  connections: Map<string, ClientConnection>;
  store: SessionStore;
  guard: UpgradeGuard;
  metricsListener?: Server;
  signIn: SignIn;
  queue: HelpQueue;
  queueStore: { close(): Promise<void> };
  audit: AuditSink;
  server: Server;
  backend: SessionBackend;
  recordings: { close(): void };
}

/** Tells every peer the server is going away, then closes; once, however often it is called. */
function closer(c: Closing): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= new Promise<void>((resolve) => {
      c.stopTimers();
      c.broker.dispose();
      c.queue.dispose();
      c.recordings.close();
      // With a shared store the sessions live on: clients resume on another node (or this one, restarted).
      // Without one they end here, and each side is told so.
      // Sessions that end here are recorded as ended (with a shared store they live on elsewhere).
      const ended = c.store.shared
        ? Promise.resolve()
        : auditShutdown({ store: c.store, audit: c.audit, locks: c.backend.locks }, [...c.connections.values()]);
      for (const conn of c.connections.values()) {
        if (conn.role !== 'none' && !c.store.shared) conn.send({ type: 'session.ended', reason: 'server-shutdown' });
        conn.socket.close(c.store.shared ? 1012 : 1001, c.store.shared ? 'server restarting' : 'server shutting down');
      }
      c.guard.close();
      c.metricsListener?.close();
      c.server.close(
        () =>
          void Promise.all([c.queueStore.close(), c.backend.close(), c.signIn.close(), ended.then(() => c.audit.close())]).then(() =>
            resolve(),
          ),
      );
      c.server.closeAllConnections();
      // Sockets that ignore the close handshake are cut after a grace period.
      setTimeout(() => {
        for (const conn of c.connections.values()) conn.socket.terminate();
      }, 2000).unref();
    }));
}

/** What `/healthz` answers: this node, its connections and sessions; throws while the session store is unreachable. */
function healthOf(node: string, store: SessionStore, connections: LocalConnections['byId']) {
  return async () => {
    if (!store.healthy()) throw new Error('session store unreachable');
    return { node, connections: connections.size, sessions: await store.size(), protocol: PROTOCOL_VERSION };
  };
}

/** Listens as configured; the port taken, the server's own URL and the origins its pages may come from. */
async function listenAt(server: Server, config: SignalingConfig) {
  const port = await listen(server, config);
  const tls = isTls(config);
  const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const { host, publicUrl, allowedOrigins: extra } = config;
  const origins = allowedOrigins({ tls, host, port, publicUrl, extra, interfaces: networkInterfaces() });
  return { port, tls, url, origins };
}

/** Starts the signaling server; used by the CLI, the Electron main process and the tests alike. */
export async function startSignalingServer(options: StartOptions = {}): Promise<RunningSignalingServer> {
  const { logger, ...partial } = options;
  const config = resolveConfig(partial);
  const log = logger ?? pino({ level: config.logLevel, name: 'peerdesk-signaling' });
  const metrics = createMetrics();
  const local = new LocalConnections();
  const connections = local.byId;
  // Connection ids name their node, so another node can route to them.
  const node = randomUUID().slice(0, 8);
  const backend = await sessionBackend(config, node, local, log);
  let selfUrl = '';
  const { sink: audit, store: auditStore } = startAudit(config, metrics.registry, log);
  const broker = createBroker(config, { backend, metrics, log, audit, queue: () => queue }, () => config.publicUrl ?? selfUrl);
  let origins = new Set<string>();
  // Technician sign-in (auth/): /auth/* routes, and the verified identity each WebSocket carries.
  const signIn = new SignIn(config, log, () => origins, audit, backend.limitsRedis);
  // Uploaded session recordings (recordings/): off unless --recordings-dir.
  const recordings = await startRecordings(config, { signIn, ownOrigins: () => origins, audit, sessions: backend.store, log });
  const server = createListener(
    config,
    createHttpHandler({
      signIn,
      audit: auditRoutes({ store: auditStore, signIn, log }),
      recordings: recordings.routes,
      metrics,
      staticDir: config.staticDir,
      metricsToken: config.metricsToken,
      health: healthOf(node, backend.store, connections),
    }),
  );
  const { queue, queueStore } = await HelpQueue.start({
    config,
    sessions: backend.store,
    locks: backend.locks,
    router: backend.router,
    log,
    signInEnabled: () => signIn.isEnabled,
    reject: (conn, code, message, retryAfterMs) => broker.reject(conn, code, message, retryAfterMs),
    localConnection: (id) => connections.get(id),
    redis: backend.limitsRedis,
    audit,
  });
  const clients = new ClientSockets({ node, config, broker, queue, metrics, log, connections });
  const guard = guardUpgrades(server, {
    config,
    metrics,
    openFrom: (a) => clients.countFor(a),
    accept: (ws, a, identity, codeEnding) => clients.accept(ws, a, identity, codeEnding),
    signIn,
    log,
  });
  const stopTimers = startTimers(config, { clients, guard, broker, backend, log });

  const { port, tls, url, origins: own } = await listenAt(server, config);
  [selfUrl, origins] = [url, own];
  guard.setOrigins(origins);
  const metricsListener = config.metricsListen ? await startMetricsListener(metrics, config.metricsListen) : undefined;
  log.info({ url: selfUrl, tls, metrics: metricsListener?.url }, 'signaling server listening');
  await signIn.start(config.publicUrl ?? selfUrl, tls);

  const parts = { stopTimers, broker, connections, store: backend.store, guard, signIn, queue, queueStore, audit, server, backend };
  const close = closer({ ...parts, metricsListener: metricsListener?.server, recordings });
  return { url: selfUrl, wsUrl: `${selfUrl.replace(/^http/, 'ws')}/ws`, port, config, metrics, metricsUrl: metricsListener?.url, close };
}
