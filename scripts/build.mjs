// Builds every entry point with esbuild: the Electron main and preload (CommonJS, as Electron loads them),
// the renderer (one browser bundle + static files) and the standalone signaling server (ESM).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const production = process.env.NODE_ENV === 'production';
const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'warning', legalComments: 'none', metafile: true };
const nativeOrHeavy = ['electron', 'robotjs', '@roamhq/wrtc'];
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
// electron-store is ESM-only: bundled into the CommonJS main; every other dependency is loaded from node_modules.
const mainExternals = [...nativeOrHeavy, ...Object.keys(dependencies).filter((d) => d !== 'electron-store')];

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/renderer', { recursive: true });

const results = await Promise.all([
  build({
    ...common,
    entryPoints: ['signaling/cli.ts'],
    outfile: 'dist/signaling/cli.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  // The audit trail's writer thread, started by both bundles (signaling/audit/audit-writer.ts).
  build({
    ...common,
    entryPoints: ['signaling/audit/audit-writer-thread.ts'],
    outfile: 'dist/signaling/audit-writer-thread.mjs',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['main/main.ts'],
    outfile: 'dist/main/main.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: mainExternals,
    // CommonJS has no import.meta: code that needs its own location falls back to __filename (audit-writer.ts).
    define: { 'import.meta.url': 'undefined' },
  }),
  build({
    ...common,
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
  }),
  // The renderer twice: what users get, and an instrumented copy for benchmarks and tests whose query switches
  // (`?profile=naive`: the untuned baseline; `?forceRelay=1`: TURN only) exist only there. In the user's bundle
  // the switches are the constant false and esbuild drops the code behind them.
  ...[
    ['dist/renderer', false],
    ['dist/renderer-instrumented', true],
  ].map(([dir, instrumented]) =>
    build({
      ...common,
      minifySyntax: true,
      entryPoints: ['renderer/app.ts'],
      outfile: `${dir}/app.js`,
      platform: 'browser',
      format: 'esm',
      target: 'chrome120',
      // simple-peer expects Node's events/buffer/process; these are their browser builds.
      inject: ['renderer/node-shims.ts'],
      define: {
        global: 'globalThis',
        'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development'),
        PEERDESK_INSTRUMENTED: JSON.stringify(instrumented),
      },
    }),
  ),
  // The SHA-256 of a file transfer runs in this worker (renderer/files/sha256-stream.ts), beside each renderer bundle.
  ...['dist/renderer', 'dist/renderer-instrumented'].map((dir) =>
    build({
      ...common,
      entryPoints: ['renderer/files/hash-worker.ts'],
      outfile: `${dir}/hash-worker.js`,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
    }),
  ),
]);
// Browsers ask for /favicon.ico whatever the page says: the tray icon, wrapped as a one-image .ico (PNG inside).
const favicon = icoFromPng(readFileSync('renderer/static/tray.png'));
for (const dir of ['dist/renderer', 'dist/renderer-instrumented']) {
  cpSync('renderer/static', dir, { recursive: true });
  writeFileSync(`${dir}/favicon.ico`, favicon);
}
writeBuildInputs(results);
console.log('built dist/');

/**
 * dist/build-inputs.json: each file the build read (esbuild's metafile, our own sources only) and the static files,
 * with a hash of its content. Tests that run dist/ compare it with the tree (test/support/fresh-build.ts), so they
 * cannot test a stale build.
 */
function writeBuildInputs(builds) {
  const inputs = new Set(
    builds.flatMap((b) => Object.keys(b.metafile.inputs)).filter((f) => !f.includes('node_modules/') && existsSync(f)),
  );
  for (const f of readdirSync('renderer/static', { recursive: true, withFileTypes: true }))
    if (f.isFile()) inputs.add(`${f.parentPath}/${f.name}`);
  inputs.add('scripts/build.mjs');
  inputs.add('package.json');
  const hashes = Object.fromEntries([...inputs].sort().map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]));
  writeFileSync('dist/build-inputs.json', `${JSON.stringify(hashes, null, 1)}\n`);
}

/** An ICO file holding one PNG image (the format Windows Vista and every current browser read). */
function icoFromPng(png) {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(png.readUInt32BE(16) % 256, 6); // width (0 means 256)
  header.writeUInt8(png.readUInt32BE(20) % 256, 7); // height
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // the image follows the one directory entry
  return Buffer.concat([header, png]);
}
