import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The address limits count against. Directly connected: the socket's peer. Behind a reverse proxy the server is told
 * to trust (`trustedProxies`), every socket comes from the proxy, so the client is the last address the proxy
 * appended to X-Forwarded-For — never an earlier one, which the client itself may have written.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trustedProxies.includes(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const last = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').pop()?.trim() ?? '';
  return isIP(last) ? last : peer;
}
