import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files whose content differs from what `dist/` was built from (`dist/build-inputs.json`, written by
 * scripts/build.mjs), or `['dist/build-inputs.json']` when there is no build to compare with. Empty: dist/ is fresh.
 */
export function staleBuildInputs(root = process.cwd()): string[] {
  const manifest = join(root, 'dist/build-inputs.json');
  if (!existsSync(manifest)) return ['dist/build-inputs.json'];
  const built = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
  return Object.entries(built)
    .filter(([file, hash]) => {
      const path = join(root, file);
      return !existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== hash;
    })
    .map(([file]) => file);
}

/**
 * Rebuilds dist/ when any file it was built from changed since, so a test that starts the server or the renderer
 * from dist/ cannot test a stale build, whether it was started by `npm test` (which builds first) or by
 * `npx vitest run <file>`.
 */
export function ensureFreshBuild(root = process.cwd()): void {
  const stale = staleBuildInputs(root);
  if (!stale.length) return;
  console.log(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: rebuilding`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
