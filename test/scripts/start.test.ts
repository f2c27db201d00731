import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start without the Electron binary', () => {
  it('says in one line what is missing and how to get it, and exits 1', () => {
    // Points the electron package at a binary that is not there, as after ELECTRON_SKIP_BINARY_DOWNLOAD.
    const run = spawnSync('node', ['scripts/start.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Electron binary is not installed.*npm install/);
  });
});
