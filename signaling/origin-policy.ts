import { DESKTOP_APP_ORIGIN } from './config';

/**
 * Which `Origin` may open a WebSocket: the server's own (same scheme + Host
 * header), the desktop app's, and any configured extra. Clients that send no
 * Origin are not browsers (a web page cannot omit it) and are allowed.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, tls: boolean, extra: string[]): boolean {
  if (origin === undefined) return true;
  if (origin === DESKTOP_APP_ORIGIN || extra.includes(origin)) return true;
  return host !== undefined && origin === `${tls ? 'https' : 'http'}://${host}`;
}
