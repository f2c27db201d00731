/** npm run bench [-- glass|firstframe|lossy|input|recovery|signaling|transfer|annotation|audit|help-queue|recording ...]: runs the named benchmarks (all by default). */
import { spawn } from 'node:child_process';
import { runAnnotationLatency } from './annotation-latency';
import { runAuditTrail } from './audit-trail';
import { runFileTransfer } from './file-transfer';
import { runFirstFrame } from './first-frame';
import { runLossy } from './glass-lossy';
import { runGlassToGlass } from './glass-to-glass';
import { runHelpQueue } from './help-queue';
import { runInputLatency } from './input-latency';
import { runRecordingCost } from './recording-cost';
import { runRecovery } from './recovery';
import { runSignaling } from './signaling';
import { startXvfb } from '../test/support/xvfb';

const all: Record<string, () => Promise<void>> = {
  glass: runGlassToGlass,
  firstframe: runFirstFrame,
  lossy: runLossy,
  input: runInputLatency,
  recovery: runRecovery,
  signaling: runSignaling,
  transfer: runFileTransfer,
  annotation: runAnnotationLatency,
  audit: runAuditTrail,
  'help-queue': runHelpQueue,
  recording: runRecordingCost,
};
const chosen = process.argv.slice(2).filter((a) => a in all);
// One X display for the whole run, stopped only after this process has exited: robotjs keeps its X connection for
// the life of the process, and Xlib ends the process with status 1 if that server goes away first.
const xvfb = await startXvfb();
process.env.DISPLAY = xvfb.display;
process.env.PEERDESK_TEST_XVFB = '1';
spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.2; done; kill ${xvfb.pid}`], {
  detached: true,
  stdio: 'ignore',
}).unref();
for (const name of chosen.length ? chosen : Object.keys(all)) await all[name]();
process.exit(0);
