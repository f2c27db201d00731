import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  let n = 90 + Math.floor(Math.random() * 400);
  while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n++;
  const display = `:${n}`;
  const proc: ChildProcess = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-noreset', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (!existsSync(`/tmp/.X11-unix/X${n}`)) {
    if (proc.exitCode !== null) throw new Error(`Xvfb ${display} exited with ${proc.exitCode}`);
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
