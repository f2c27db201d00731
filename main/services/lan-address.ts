import type { NetworkInterfaceInfo } from 'node:os';

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

/**
 * The address a browser on the same network should open to reach the embedded
 * signaling server: a private IPv4 address first (home and office LANs), then any
 * other external IPv4; undefined when the computer has no network.
 */
export function lanViewerUrl(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, port: number): string | undefined {
  const v4 = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal);
  const best = v4.find((i) => PRIVATE_V4.test(i.address)) ?? v4[0];
  return best && `http://${best.address}:${port}`;
}
