import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../../test/support/free-port';
import { stopProcess } from '../../test/support/stop-process';

export interface NoVnc {
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

/** x11vnc + websockify + noVNC's lite viewer, as a helpdesk would run them (Debian packages, defaults). */
export async function startNoVnc(display: string): Promise<NoVnc> {
  const rfb = await freePort();
  const ws = await freePort();
  const procs: ChildProcess[] = [
    spawn('x11vnc', ['-display', display, '-localhost', '-nopw', '-forever', '-shared', '-rfbport', String(rfb), '-quiet'], {
      stdio: 'ignore',
    }),
  ];
  await waitForPort(rfb);
  procs.push(spawn('websockify', ['--web', '/usr/share/novnc', String(ws), `127.0.0.1:${rfb}`], { stdio: 'ignore' }));
  await waitForPort(ws);
  return {
    viewerUrl: `http://127.0.0.1:${ws}/vnc_lite.html?host=127.0.0.1&port=${ws}`,
    stop: async () => {
      await Promise.all(procs.map(stopProcess));
    },
  };
}
