/** npm run bench [-- glass|input|signaling ...]: runs the named benchmarks (all by default). */
import { runGlassToGlass } from './glass-to-glass';
import { runInputLatency } from './input-latency';
import { runSignaling } from './signaling';

const all: Record<string, () => Promise<void>> = { glass: runGlassToGlass, input: runInputLatency, signaling: runSignaling };
const chosen = process.argv.slice(2).filter((a) => a in all);
for (const name of chosen.length ? chosen : Object.keys(all)) await all[name]();
process.exit(0);
