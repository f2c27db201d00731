import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_SIGNALING_FRAME_BYTES } from '../protocol/limits';
import { clientAddress } from './client-address';
import type { SignalingConfig } from './config';
import type { SignalingMetrics } from './metrics';
import { isOriginAllowed } from './origin-policy';
import { PendingRequests } from './pending-requests';
import { codeEndingOf } from './session-codes';
import type { Logger } from 'pino';
import type { VerifiedIdentity } from '../protocol/signaling-messages';
import type { SignIn } from './auth/sign-in';

export interface UpgradeGuardDeps {
  config: SignalingConfig;
  metrics: SignalingMetrics;
  /** WebSocket connections open from an address now. */
  openFrom(address: string): number;
  accept(ws: WebSocket, address: string, identity?: VerifiedIdentity, codeEnding?: string): void;
  /** Technician sign-in: the verified identity the request's cookie carries, and the cookie refresh on the 101 answer. */
  signIn: Pick<SignIn, 'identifyUpgrade' | 'upgradeHeaders'>;
  log: Logger;
}

export interface UpgradeGuard {
  /** The WebSocket origins allowed (known once the server listens and its port is known). */
  setOrigins(origins: Set<string>): void;
  /** Closes sockets whose request is overdue; call it a few times per deadline. */
  sweep(now: number): void;
  close(): void;
}

/**
 * Everything a socket passes before it is a client: its request arriving in time and within the budgets (slowloris),
 * then for an upgrade the path, the Origin and the per-address connection cap.
 */
export function guardUpgrades(server: Server, deps: UpgradeGuardDeps): UpgradeGuard {
  const { config, metrics } = deps;
  let origins = new Set<string>();
  // Slowloris without cutting an office off: sockets waiting for their request are held to a deadline and to budgets
  // (per address, in all) in which the longest-waiting socket is the one cut, never the newest honest one.
  const pending = new PendingRequests(
    { deadlineMs: config.headersTimeoutMs, perAddress: config.maxPendingRequestsPerAddress, total: config.maxPendingRequests },
    (why) => metrics.rejected.inc({ reason: why === 'budget' ? 'SIG_ERR_TOO_MANY_PENDING' : 'request-timeout' }),
  );
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    // A trusted proxy holds many clients' requests; it guards against half-sent requests itself.
    if (!config.trustedProxies.includes(address)) pending.track(socket, address);
  });
  server.on('request', (req: IncomingMessage) => pending.arrived(req.socket));

  // ws enforces a hard ceiling well above ours, so an oversize frame gets a coded error instead of a bare close.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_SIGNALING_FRAME_BYTES * 4,
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('headers', (headers, req) => deps.signIn.upgradeHeaders(headers, req));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    pending.arrived(req.socket);
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if ((req.url ?? '').split('?')[0] !== '/ws') return refuse(404, 'Not Found');
    if (!isOriginAllowed(req.headers.origin, origins)) {
      metrics.rejected.inc({ reason: 'SIG_ERR_ORIGIN' });
      return refuse(403, 'Forbidden');
    }
    const address = clientAddress(req, config.trustedProxies);
    if (deps.openFrom(address) >= config.maxConnectionsPerAddress) {
      metrics.rejected.inc({ reason: 'SIG_ERR_TOO_MANY_CONNECTIONS' });
      return refuse(429, 'Too Many Requests');
    }
    deps.signIn
      .identifyUpgrade(req)
      .then((identity) => wss.handleUpgrade(req, socket, head, (ws) => deps.accept(ws, address, identity, codeEndingOf(req.url))))
      .catch((err: unknown) => {
        deps.log.error({ err }, 'upgrade failed');
        socket.destroy();
      });
  });
  return {
    setOrigins: (allowed) => void (origins = allowed),
    sweep: (now) => pending.sweep(now),
    close: () => wss.close(),
  };
}
