import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/free-port';
import { stopProcess } from '../../test/support/stop-process';

export interface NoVnc {
  /** websockify's TCP port: the page and the WebSocket both come through it. */
  port: number;
  viewerUrl: string;
  stop(): Promise<void>;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100)); // polling a port: there is no event to await
  }
}

async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await new Promise((r) => setTimeout(r, 50)); // polling a socket file: x11vnc offers no readiness event
  }
}

/**
 * x11vnc + websockify + noVNC's lite viewer, as a helpdesk would run them (Debian packages, defaults). x11vnc listens
 * on a unix socket beside websockify, so the only network hop is websockify ↔ browser — the one a constrained
 * network run limits, as it limits PeerDesk's one hop.
 */
export async function startNoVnc(display: string): Promise<NoVnc> {
  const socket = join(mkdtempSync(join(tmpdir(), 'peerdesk-vnc-')), 'rfb.sock');
  const ws = await freePort();
  const procs: ChildProcess[] = [
    spawn('x11vnc', ['-display', display, '-nopw', '-forever', '-shared', '-unixsock', socket, '-rfbport', '0', '-quiet'], {
      stdio: 'ignore',
    }),
  ];
  await waitForFile(socket);
  procs.push(spawn('websockify', ['--web', '/usr/share/novnc', `--unix-target=${socket}`, String(ws)], { stdio: 'ignore' }));
  await waitForPort(ws);
  return {
    port: ws,
    viewerUrl: `http://127.0.0.1:${ws}/vnc_lite.html?host=127.0.0.1&port=${ws}`,
    stop: async () => {
      await Promise.all(procs.map(stopProcess));
    },
  };
}
