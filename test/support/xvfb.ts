import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { stopProcess } from './stop-process';

export interface Xvfb {
  display: string;
  stop(): Promise<void>;
  pid: number;
}

/**
 * Xvfb at 1280×800 with `-noreset` (else the screen resets when the last client leaves),
 * plus the window-manager atoms Chromium's X11 capturer expects (DESIGN.md §5).
 */
export async function startXvfb(width = 1280, height = 800): Promise<Xvfb> {
  // Files running side by side start theirs at once: two may pick the same free number, and the later one exits.
  for (let attempt = 0; ; attempt++) {
    const started = await tryStartXvfb(width, height);
    if (started) return started;
    if (attempt === 4) throw new Error('Xvfb did not start on five free display numbers');
  }
}

async function tryStartXvfb(width: number, height: number): Promise<Xvfb | undefined> {
  let n = 90 + Math.floor(Math.random() * 400);
  while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n++;
  const display = `:${n}`;
  const proc: ChildProcess = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-noreset', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  // The socket may be another file's server that won the number: the lock file names the pid that owns it.
  const ours = () => existsSync(`/tmp/.X11-unix/X${n}`) && readFileSync(`/tmp/.X${n}-lock`, 'utf8').trim() === String(proc.pid);
  while (!ours()) {
    if (proc.exitCode !== null) return undefined;
    if (Date.now() > deadline) throw new Error(`Xvfb ${display} did not start`);
    await new Promise((r) => setTimeout(r, 50)); // polling for the socket file: Xvfb offers no readiness event
  }
  const env = { ...process.env, DISPLAY: display };
  for (const atom of ['WM_STATE', '_NET_WM_STATE', '_NET_ACTIVE_WINDOW', '_NET_CLIENT_LIST_STACKING', '_NET_WM_WINDOW_TYPE']) {
    execFileSync('xprop', ['-root', '-f', atom, '32c', '-set', atom, '0'], { env });
  }
  execFileSync('xsetroot', ['-solid', '#202020'], { env });
  return {
    display,
    stop: () => stopProcess(proc),
    pid: proc.pid!,
  };
}
