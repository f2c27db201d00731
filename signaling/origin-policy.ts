import type { NetworkInterfaceInfo } from 'node:os';
import { DESKTOP_APP_ORIGIN } from '../protocol/limits';

export interface OriginPolicyInput {
  tls: boolean;
  /** The address the server listens on and its port. */
  host: string;
  port: number;
  publicUrl?: string;
  extra: string[];
  /** Local interfaces, for a server listening on every address (0.0.0.0 / ::). */
  interfaces: Record<string, NetworkInterfaceInfo[] | undefined>;
}

/**
 * The `Origin`s that may open a WebSocket: the desktop app's, the configured public URL's, the listening
 * address's own (for a wildcard listener: each local interface's), and any configured extra. Never derived
 * from the request's Host header: with DNS rebinding a foreign page sends `Host: evil.example` and
 * `Origin: http://evil.example` alike, and both would match.
 */
export function allowedOrigins(p: OriginPolicyInput): Set<string> {
  const scheme = p.tls ? 'https' : 'http';
  const at = (address: string) => `${scheme}://${address.includes(':') ? `[${address}]` : address}:${p.port}`;
  const origins = new Set([DESKTOP_APP_ORIGIN, ...p.extra]);
  if (p.publicUrl) origins.add(new URL(p.publicUrl).origin);
  const wildcard = p.host === '0.0.0.0' || p.host === '::';
  const addresses = wildcard
    ? Object.values(p.interfaces)
        .flat()
        .flatMap((nic) => (nic ? [nic.address] : []))
    : [p.host];
  for (const address of addresses) origins.add(new URL(at(address)).origin);
  if (addresses.some((a) => a === '127.0.0.1' || a === '::1')) origins.add(new URL(at('localhost')).origin);
  return origins;
}

/** Clients that send no Origin are not browsers (a web page cannot omit it) and are allowed. */
export function isOriginAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  return origin === undefined || allowed.has(origin);
}
