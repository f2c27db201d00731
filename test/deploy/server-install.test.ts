import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/stop-process';

/**
 * deploy/README.md's server-only install: the built server and the runtime dependencies alone (what
 * `npm prune --omit=dev` or `npm ci --omit=dev` leaves: no Electron, no build tools) must run the signaling node.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
let stop: (() => Promise<void>) | undefined;
afterAll(() => stop?.());

describe('a server-only install', () => {
  it('leaves Electron and the build tools out: they are devDependencies', () => {
    for (const dev of ['electron', 'electron-builder', 'esbuild', 'typescript']) {
      expect(pkg.devDependencies[dev]).toBeDefined();
      expect(pkg.dependencies[dev]).toBeUndefined();
    }
  });

  it('runs the built node with the runtime dependencies alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerdesk-server-only-'));
    for (const name of Object.keys(pkg.dependencies)) {
      const link = join(dir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(resolve('node_modules', name), link);
    }
    cpSync('dist/signaling', join(dir, 'dist/signaling'), { recursive: true });
    cpSync('dist/renderer', join(dir, 'dist/renderer'), { recursive: true });
    const node = spawn(process.execPath, [join(dir, 'dist/signaling/cli.mjs'), '--host', '127.0.0.1', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stop = () => stopProcess(node);
    let stderr = '';
    node.stderr!.on('data', (d: Buffer) => (stderr += d));
    let url = '';
    for await (const line of createInterface({ input: node.stdout! })) {
      url = /^PeerDesk signaling on (\S+)/.exec(line)?.[1] ?? '';
      if (url) break;
    }
    expect(url, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/`)).text()).toContain('<title>PeerDesk</title>');
  });
});
