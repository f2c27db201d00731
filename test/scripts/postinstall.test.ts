import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  allowScripts: Record<string, boolean>;
};

/** What `npm install` runs after unpacking: electron's own install script if allowed, then this project's postinstall. */
function installScripts(env: NodeJS.ProcessEnv): { status: number; output: string } {
  const steps: Array<[string, string[]]> = [];
  if (pkg.allowScripts.electron) steps.push([process.execPath, [createRequire(import.meta.url).resolve('electron/install.js')]]);
  if (pkg.scripts.postinstall) steps.push(['sh', ['-c', pkg.scripts.postinstall]]);
  let output = '';
  for (const [cmd, args] of steps) {
    const run = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
    output += run.stdout + run.stderr;
    if (run.status !== 0) return { status: run.status ?? 1, output };
  }
  return { status: 0, output };
}

describe('npm install without access to the Electron download', () => {
  it('ends in a message that says what to do, with the exact command, and no stack trace', () => {
    const { status, output } = installScripts({
      ELECTRON_SKIP_BINARY_DOWNLOAD: undefined,
      // A host name that never resolves, an empty download cache, and no binary already in place.
      ELECTRON_MIRROR: 'https://electron-download.invalid/',
      electron_config_cache: mkdtempSync(join(tmpdir(), 'peerdesk-electron-cache-')),
      ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist',
    });
    expect(output).toMatch(/could not download the Electron binary: .*(ENOTFOUND|EAI_AGAIN)/);
    expect(output).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci');
    expect(output).toContain('node node_modules/electron/install.js');
    expect(output).toMatch(/signaling server/);
    expect(output).not.toMatch(/^\s+at /m);
    // The rest of the install stands: npm must not fail over the desktop binary alone.
    expect(status).toBe(0);
  });

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (CI) says in one line what works without the binary', () => {
    const { status, output } = installScripts({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(status).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/not downloaded.*signaling server work; `npm start` does not/);
  });
});

describe('Node 20 (what the README promises)', () => {
  it('loads the two packaging dependencies that declare Node ≥ 22.12 (ES modules, loaded natively since 20.19)', () => {
    const require = createRequire(import.meta.url);
    const { version } = require('electron/package.json') as { version: string };
    expect(typeof (require('@electron/rebuild') as { rebuild: unknown }).rebuild).toBe('function');
    expect(Number((require('node-abi') as { getAbi: (v: string, t: string) => string }).getAbi(version, 'electron'))).toBeGreaterThan(100);
  });

  it('uses no runtime dependency that declares a newer Node than package.json', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } }>;
    };
    const wantsNewer = Object.entries(lock.packages)
      .filter(([name, p]) => name && !p.dev && /^>=\s*2[1-9]/.test(p.engines?.node ?? ''))
      .map(([name]) => name);
    expect(wantsNewer).toEqual([]);
  });
});
