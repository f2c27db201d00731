import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { SECURITY_HEADERS } from '../common/security-headers';
import { bearerMatches, serveMetrics } from './metrics-access';
import type { SignIn } from './auth/sign-in';
import type { SignalingMetrics } from './metrics';

export interface HttpDeps {
  metrics: SignalingMetrics;
  staticDir?: string;
  /** Set → `/metrics` here answers a request bearing this token; unset → it is not served here at all. */
  metricsToken?: string;
  health: () => Promise<Record<string, unknown>>;
  /** Serves /auth/* (technician sign-in). */
  signIn?: Pick<SignIn, 'handle'>;
  /** Serves /api/audit/* (the audit trail for signed-in technicians; audit/audit-routes.ts). */
  audit?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Serves /api/recordings* (uploaded session recordings; recordings/recording-routes.ts). */
  recordings?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export function createHttpHandler(deps: HttpDeps) {
  const serveStatic = deps.staticDir
    ? sirv(deps.staticDir, {
        single: false,
        etag: true,
        dev: false,
        gzip: false,
        brotli: false,
        // sirv's type table has no .ico; with nosniff a browser would refuse an untyped icon.
        setHeaders: (res, pathname) => {
          if (pathname.endsWith('.ico')) res.setHeader('Content-Type', 'image/x-icon');
        },
      })
    : undefined;

  return (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const path = (req.url ?? '/').split('?')[0];
    if (deps.signIn?.handle(req, res)) return;
    if (deps.audit?.(req, res)) return;
    if (deps.recordings?.(req, res)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (path === '/healthz') {
      deps.health().then(
        (h) => send(res, 200, 'application/json', JSON.stringify({ status: 'ok', ...h })),
        // Not healthy (e.g. its Redis is gone): a proxy or orchestrator takes the node out until it recovers.
        (err: Error) => send(res, 503, 'application/json', JSON.stringify({ status: 'unavailable', reason: err.message })),
      );
      return;
    }
    if (path === '/metrics') {
      if (!deps.metricsToken) return send(res, 404, 'text/plain', 'not found');
      if (!bearerMatches(req, deps.metricsToken)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return send(res, 401, 'text/plain', 'unauthorized');
      }
      return serveMetrics(deps.metrics, res);
    }
    // The technicians' console is a route of the one renderer page (it asks /auth/me whether to show the queue).
    if (path === '/console') req.url = '/index.html';
    if (serveStatic) return serveStatic(req, res, () => send(res, 404, 'text/plain', 'not found'));
    send(res, 404, 'text/plain', 'not found');
  };
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}
