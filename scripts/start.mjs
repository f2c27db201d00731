// `npm start`: runs the built app in Electron, or says in one line what is missing instead of Electron's own trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

let electron;
try {
  electron = createRequire(import.meta.url)('electron');
} catch {
  electron = undefined;
}
if (typeof electron !== 'string' || !existsSync(electron)) {
  console.error(
    'PeerDesk: the Electron binary is not installed (it was skipped or its download failed). ' +
      'Run `npm install` with internet access, without ELECTRON_SKIP_BINARY_DOWNLOAD, then `npm start` again.',
  );
  process.exit(1);
}
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
