// npm's postinstall for this project: downloads Electron's binary by running the electron package's own install
// script (denied in `allowScripts`, run from here instead) so that a download that cannot happen ends in a message
// saying what to do, not in a stack trace. Everything else is installed either way; only `npm start` and
// `npm run dist` need the binary.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const SKIP = 'ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci';
const say = (lines) => console.error(lines.map((l) => `peerdesk: ${l}`).join('\n'));

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  say([
    'Electron binary not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): build, tests and the signaling server work; `npm start` does not.',
  ]);
  process.exit(0);
}

let installer;
try {
  installer = createRequire(import.meta.url).resolve('electron/install.js');
} catch {
  // A server-only install (`npm ci --omit=dev`): Electron is a devDependency and is not there to download for.
  process.exit(0);
}

const run = spawnSync(process.execPath, [installer], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
if (run.status === 0) process.exit(0);

// @electron/get throws with the stack as the whole message; its first line is the reason (e.g. getaddrinfo ENOTFOUND).
const reason =
  (run.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at ')) ?? `exit ${run.status ?? run.signal}`;
say([
  `could not download the Electron binary: ${reason}`,
  'Every package is installed; only the desktop app (`npm start`, `npm run dist`) needs that binary.',
  `- Without access to Electron's download (CI, offline, build servers): ${SKIP}`,
  '  Build, tests and the signaling server (`npm run signaling`) then work; `npm start` says the binary is missing.',
  '- Behind a proxy or mirror: set HTTPS_PROXY or ELECTRON_MIRROR (see https://www.electronjs.org/docs/latest/tutorial/installation),',
  '  then fetch the binary alone: node node_modules/electron/install.js',
]);
