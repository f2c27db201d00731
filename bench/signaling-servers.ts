/**
 * Runs one signaling server in its own process for the signaling benchmark:
 *   node dist/bench/signaling-servers.mjs peerdesk|peerjs|ws-floor <port>   (REDIS_URL set: a node of several)
 * (bundled by bench/lib/built-server.ts, as users run the built server).
 * Prints "listening" when ready. Its own process so that RSS and the open-file limit are the server's alone.
 */
import { constants as perf, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { AuditWriter } from '../signaling/audit/audit-writer';
import { RedisRouter } from '../signaling/redis/redis-router';
import { startSignalingServer } from '../signaling/server';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);

let running: Awaited<ReturnType<typeof startSignalingServer>> | undefined;
if (process.env.BENCH_UNBATCHED) {
  // The "before" of the two-node variant: every frame in a PUBLISH of its own, as the router did until 2026-12-06.
  const router = RedisRouter.prototype as unknown as { publish(...args: unknown[]): void; flush(): void };
  const batched = router.publish;
  router.publish = function (this: typeof router, ...args: unknown[]) {
    batched.apply(this, args);
    this.flush();
  };
}
if (process.env.BENCH_AUDIT_UNPOSTED) {
  // The audit benchmark's `sqlite-unposted` variant: the trail records and batches, the writer thread never starts.
  (AuditWriter.prototype as unknown as { append(): Promise<void> }).append = () => Promise.resolve();
}
if (process.env.BENCH_IDLE_WRITER_THREAD) {
  // Its `idle-thread` variant: the built writer thread (its modules, its open file) beside the trail off, never sent a batch.
  const url = new URL('../signaling/audit-writer-thread.mjs', import.meta.url);
  new Worker(url, { workerData: { url: process.env.BENCH_IDLE_WRITER_THREAD } }).unref();
}
if (kind === 'peerdesk') {
  running = await startSignalingServer({
    host: '127.0.0.1',
    port,
    logger: pino({ level: 'silent' }),
    // All load comes from one address here; the per-address cap is for the internet, not this test.
    maxConnectionsPerAddress: 1_000_000,
    hostOpensPerMinute: 1_000_000_000,
    maxPendingRequestsPerAddress: 1_000_000,
    maxPendingRequests: 1_000_000,
    unboundIdleTimeoutMs: 10 * 60_000,
    // Set by the two-node run: sessions and signals cross nodes through this Redis.
    redisUrl: process.env.REDIS_URL,
    // The audit benchmark: sqlite:<path> or postgres://… (off by default, as startSignalingServer() has it).
    auditDb: process.env.BENCH_AUDIT_DB,
  });
} else if (kind === 'ws-floor') {
  // What any ws relay costs here: sockets paired by URL, every frame forwarded with no parsing, no protocol.
  const { WebSocketServer } = await import('ws');
  const waiting = new Map<string, import('ws').WebSocket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws, req) => {
    const pair = new URL(req.url ?? '/', 'http://x').searchParams.get('pair') ?? '';
    const other = waiting.get(pair);
    if (!other) return void waiting.set(pair, ws);
    waiting.delete(pair);
    ws.on('message', (data, isBinary) => other.send(data, { binary: isBinary }));
    other.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.send('{"type":"paired"}');
    other.send('{"type":"paired"}');
  });
  await new Promise((r) => wss.once('listening', r));
} else {
  const { PeerServer } = await import('peer');
  PeerServer({ host: '127.0.0.1', port, path: '/', allow_discovery: false, concurrent_limit: 1_000_000 });
  await new Promise((r) => setTimeout(r, 500)); // PeerServer offers no listening callback
}
// The longest event-loop stall since the last ask, so the bench can tell the server's stalls from the load's.
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
// The main thread's garbage collections so far, by kind (the audit benchmark: a count does not depend on the machine's load).
const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const minor = (e as unknown as { detail?: { kind?: number } }).detail?.kind === perf.NODE_PERFORMANCE_GC_MINOR;
    gc[minor ? 'minor' : 'major']++;
    gc[minor ? 'minorMs' : 'majorMs'] += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
process.on('message', (m) => {
  if (m === 'memory') return process.send?.({ ok: true, ...memoryParts() });
  if (m === 'gc') return process.send?.({ ok: true, ...gc });
  if (m === 'audit') return void auditCounters().then((c) => process.send?.({ ok: true, ...c }));
  if (m !== 'loop-stall') return;
  process.send?.({ ok: true, stallMs: loop.max / 1e6 });
  loop.reset();
});

/** The audit trail's own counters (signaling/audit/audit-metrics.ts): records written, dropped, waiting. */
async function auditCounters(): Promise<Record<string, number>> {
  const out: Record<string, number> = { written: 0, dropped: 0, buffered: 0, failures: 0 };
  for (const m of (await running?.metrics.registry.getMetricsAsJSON()) ?? []) {
    const key = /^peerdesk_audit_(written|dropped|buffered|write_failures)/.exec(m.name)?.[1];
    if (key) out[key === 'write_failures' ? 'failures' : key] = m.values.reduce((sum, v) => sum + v.value, 0);
  }
  return out;
}

/** Where the process's memory sits (KiB): V8's young and old generations (pages it holds), buffers outside the heap. */
function memoryParts() {
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size / 1024]));
  const { rss, external, arrayBuffers } = process.memoryUsage();
  const heap = Object.values(spaces).reduce((a, b) => a + b, 0);
  return {
    rss: rss / 1024,
    youngGeneration: spaces.new_space ?? 0,
    restOfHeap: heap - (spaces.new_space ?? 0),
    external: external / 1024,
    arrayBuffers: arrayBuffers / 1024,
  };
}
process.send?.('listening');
console.log('listening');
// A normal exit on kill, so that `--cpu-prof` (BENCH_SERVER_ARGS) can write its profile.
process.on('SIGTERM', () => process.exit(0));
