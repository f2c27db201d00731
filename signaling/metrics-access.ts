import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignalingMetrics } from './metrics';

/**
 * Who may read `/metrics`. Never the main listener without a token, loopback included: behind a proxy on the same
 * machine every request is loopback. Either a bearer token (`metricsToken`) or a listener of its own.
 */

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
  // Digests have equal lengths, so neither the token's length nor its prefix leaks through timing.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

export function serveMetrics(metrics: SignalingMetrics, res: ServerResponse): void {
  metrics.registry.metrics().then(
    (text) => {
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(text);
    },
    () => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('metrics unavailable');
    },
  );
}

/** `[host:]port` → where to listen; the host defaults to loopback, so the metrics stay on the machine unless told. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value.trim());
  if (!m) throw new Error(`not a [host:]port: ${value}`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/** A listener that serves only `GET /metrics` (for a scraper on the machine or a private network). */
export async function startMetricsListener(metrics: SignalingMetrics, listen: string): Promise<{ url: string; server: Server }> {
  const { host, port } = parseListenAddress(listen);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') return serveMetrics(metrics, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`, server };
}
