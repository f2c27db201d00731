import type { ChildProcess } from 'node:child_process';

/** One command to a benchmark's child process (load worker, server, node) and its `{ ok, error? }` answer. */
export function ask<T>(child: ChildProcess, command: object | string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve(m as T) : reject(new Error(m.error))));
    child.send(command);
  });
}
