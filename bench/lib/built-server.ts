import { build } from 'esbuild';

/**
 * The benchmarks' signaling server process (bench/signaling-servers.ts) as users run the server: one esbuild bundle
 * beside `dist/signaling/` (so the SQLite trail starts the built writer thread, `dist/signaling/audit-writer-thread.mjs`),
 * loaded by plain Node. From the sources through tsx, each process and each of its worker threads also ran tsx's
 * loader thread and compiled TypeScript on load: CPU the product never spends, counted against whichever variant
 * started more threads (the audit trail's writer).
 */
let built: Promise<string> | undefined;

export function builtServerEntry(): Promise<string> {
  built ??= build({
    entryPoints: ['bench/signaling-servers.ts'],
    outfile: 'dist/bench/signaling-servers.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  }).then(() => 'dist/bench/signaling-servers.mjs');
  return built;
}
