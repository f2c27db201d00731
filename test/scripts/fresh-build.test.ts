import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuildInputs } from '../support/fresh-build';

// Tests that start the server or the renderer from dist/ must not be able to test a stale build: scripts/build.mjs
// records what it read, and the suite's global setup rebuilds when any of it changed.

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function tree(files: Record<string, string>, built: Record<string, string> | undefined) {
  const root = mkdtempSync(join(tmpdir(), 'peerdesk-build-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  if (built) {
    mkdirSync(join(root, 'dist'));
    writeFileSync(
      join(root, 'dist/build-inputs.json'),
      JSON.stringify(Object.fromEntries(Object.entries(built).map(([f, t]) => [f, sha(t)]))),
    );
  }
  return root;
}

describe('staleBuildInputs', () => {
  it('is empty when every input is as it was built', () => {
    expect(
      staleBuildInputs(
        tree({ 'signaling/cli.ts': 'a', 'protocol/limits.ts': 'b' }, { 'signaling/cli.ts': 'a', 'protocol/limits.ts': 'b' }),
      ),
    ).toEqual([]);
  });

  it('names an input edited since the build, and one deleted since', () => {
    const root = tree(
      { 'signaling/cli.ts': 'a', 'protocol/limits.ts': 'changed' },
      { 'signaling/cli.ts': 'a', 'protocol/limits.ts': 'b', 'common/gone.ts': 'c' },
    );
    expect(staleBuildInputs(root)).toEqual(['protocol/limits.ts', 'common/gone.ts']);
  });

  it('without a build there is nothing fresh', () => {
    const root = tree({ 'signaling/cli.ts': 'a' }, undefined);
    expect(staleBuildInputs(root)).toEqual(['dist/build-inputs.json']);
    rmSync(root, { recursive: true });
  });
});

describe('the build records what it read', () => {
  it('every entry point, the modules they import, the static files and the build script itself', () => {
    // The suite's global setup built dist/ if it was stale, so the tree and the record agree here.
    const built = Object.keys(JSON.parse(readFileSync('dist/build-inputs.json', 'utf8')) as Record<string, string>);
    expect(built).toEqual(
      expect.arrayContaining([
        'signaling/cli.ts',
        'signaling/server.ts',
        'main/main.ts',
        'preload/preload.ts',
        'renderer/app.ts',
        'protocol/control-messages.ts',
        'renderer/static/index.html',
        'scripts/build.mjs',
      ]),
    );
    expect(built.some((f) => f.includes('node_modules'))).toBe(false);
    expect(staleBuildInputs()).toEqual([]);
  });
});
