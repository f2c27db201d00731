/**
 * Signaling load: N host/viewer pairs join in bursts, then relay ~400-byte signals at steady total rates,
 * against PeerDesk's server, the PeerJS server and a bare `ws` relay (the floor: what any ws server costs on this
 * machine with this load) in the same run. Server and load generators are separate processes (one server process
 * may hold at most ~19,000 sockets here: 20,000 open files per process). Run: npm run bench -- signaling
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { freePort } from '../test/support/free-port';
import { RedisServer } from '../test/support/redis-server';
import { builtServerEntry } from './lib/built-server';
import { pidCpuSeconds } from './lib/process-cpu';
import { publish } from './lib/results';
import { distribution, percentile, type Row, single } from './lib/stats';
import { ask } from './lib/ask-child';

/**
 * `peerdesk-2node`: two PeerDesk nodes on one Redis, every host on node A and its viewer on node B.
 * `peerdesk-2node-unbatched`: the same with one PUBLISH per frame, as before 2026-12-06 (BENCH_UNBATCHED in
 * signaling-servers.ts), so the batching is measured beside it in one run.
 * `peerdesk-2node-baseline`: the same two nodes run from another build of signaling-servers.ts (BENCH_BASELINE_SERVER,
 * e.g. one bundled from an earlier commit), so a change to the cross-node path is measured beside its before.
 */
type Kind = 'peerdesk' | 'peerdesk-2node' | 'peerdesk-2node-unbatched' | 'peerdesk-2node-baseline' | 'peerjs' | 'ws-floor';
const isTwoNode = (kind: Kind) => kind.startsWith('peerdesk-2node');

const PAIRS = Number(process.env.BENCH_PAIRS ?? 9000);
/** One load process per core: more only adds context switches on two cores. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
/** All by default; a subset for quick experiments (BENCH_SERVERS=peerdesk). */
const SERVERS = (process.env.BENCH_SERVERS ?? 'peerdesk,peerdesk-2node,peerjs,ws-floor').split(',') as Kind[];
const BURST = 250;
/** Long enough that one stall of the shared machine does not decide a p99 on its own. */
const STEP_SECONDS = 10;
/** Ascending, so that no step starts with the backlog of an overloaded one; low rungs so that every variant has a knee. */
const LADDER = [1_000, 2_000, 3_000, 5_000, 7_500, 10_000, 12_500, 15_000, 17_500, 20_000, 25_000];
/** A variant's knee: the highest rung before the first whose relay p99 is over this (or that loses >1 %). */
const KNEE_P99_MS = 50;
/** Realistic arrivals: pairs one by one at this total rate, on a server that holds nothing else. */
const SPREAD_PAIRS = Number(process.env.BENCH_SPREAD_PAIRS ?? 1000);
const SPREAD_PER_S = 50;
/** Sustained relay before the ladder, for the memory that stays: a rate below every server's saturation here. */
const SUSTAINED_RATE = 5_000;
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 60);

const execArgv = ['--import', 'tsx'];
const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const percentOfCore = (cpuSeconds: number, wallSeconds: number) => `${((cpuSeconds / wallSeconds) * 100).toFixed(0)} %`;

async function startServer(
  kind: 'peerdesk' | 'peerjs' | 'ws-floor',
  port: number,
  env: NodeJS.ProcessEnv = {},
  entry?: string,
): Promise<ChildProcess> {
  // BENCH_SERVER_ARGS passes Node flags to the server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const server = fork(entry ?? (await builtServerEntry()), [kind, String(port)], {
    execArgv: extra,
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_SERVER_ARGS ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => server.once('message', resolve));
  return server;
}

/** The server processes of one variant (two nodes and their Redis for the two-node run) and where clients go. */
async function startVariant(kind: Kind) {
  if (!isTwoNode(kind)) {
    const port = await freePort();
    const server = await startServer(kind as 'peerdesk' | 'peerjs' | 'ws-floor', port);
    const url = kind === 'peerdesk' ? `ws://127.0.0.1:${port}/ws` : `ws://127.0.0.1:${port}`;
    return { servers: [server], url, viewerUrl: undefined, redisPid: undefined, stop: async () => void server.kill() };
  }
  const redis = await RedisServer.start();
  const ports = [await freePort(), await freePort()];
  const env = { REDIS_URL: redis.url, ...(kind === 'peerdesk-2node-unbatched' ? { BENCH_UNBATCHED: '1' } : {}) };
  const entry = kind === 'peerdesk-2node-baseline' ? process.env.BENCH_BASELINE_SERVER : undefined;
  if (kind === 'peerdesk-2node-baseline' && !entry) throw new Error('peerdesk-2node-baseline needs BENCH_BASELINE_SERVER');
  const servers = await Promise.all(ports.map((p) => startServer('peerdesk', p, env, entry)));
  return {
    servers,
    url: `ws://127.0.0.1:${ports[0]}/ws`,
    viewerUrl: `ws://127.0.0.1:${ports[1]}/ws`,
    redisPid: redis.pid,
    stop: async () => {
      servers.forEach((s) => s.kill());
      await redis.stop();
    },
  };
}

/** Per variant, every rung of the rate ladder: relay latency and server CPU per signal. */
interface LadderStep {
  rate: number;
  cpuUs: number;
  relay: Row;
}
const ladders: Partial<Record<Kind, LadderStep[]>> = {};

/**
 * Relay latency and CPU per signal compared at one rate for all variants: the highest rung at or below every
 * variant's knee (the lowest rung if some variant has none), so no figure is an overload's.
 */
function belowEveryKnee(rows: Row[]): void {
  const knees = rows.filter((r) => r.metric === 'signaling_knee_per_s').map((r) => r.value ?? 0);
  const rate = [...LADDER].reverse().find((r) => knees.every((k) => r <= k)) ?? LADDER[0]!;
  for (const [kind, steps] of Object.entries(ladders)) {
    const step = steps.find((s) => s.rate === rate);
    if (!step) continue;
    rows.push({ ...step.relay, rate_per_s: rate }, { ...single('signaling_cpu_us_per_signal', kind, step.cpuUs), rate_per_s: rate });
  }
}

/** Per variant: how the memory that stayed after sustained relay splits (KiB per connection), and after the ladder. */
const memoryBreakdown: Record<string, Record<string, number>> = {};
const overloadBreakdown: Record<string, Record<string, number>> = {};

/** Growth of each part between two memory readings, per connection; `other` is RSS not accounted for by V8 or buffers. */
function perConnection(before: Record<string, number>, after: Record<string, number>, connections: number) {
  const grew = (k: string) => ((after[k] ?? 0) - (before[k] ?? 0)) / connections;
  const parts = {
    rss: grew('rss'),
    young_generation: grew('youngGeneration'),
    rest_of_heap: grew('restOfHeap'),
    buffers_outside_heap: grew('external'),
  };
  return Object.fromEntries(
    Object.entries({ ...parts, other: parts.rss - parts.young_generation - parts.rest_of_heap - parts.buffers_outside_heap }).map(
      ([k, v]) => [k, Math.round(v * 100) / 100],
    ),
  );
}

async function runAgainst(kind: Kind, rows: Row[]): Promise<void> {
  const variant = await startVariant(kind);
  const { servers } = variant;
  // Server cost of the two-node run includes Redis: it is part of what relays each signal.
  const serverPids = [...servers.map((s) => s.pid!), ...(variant.redisPid ? [variant.redisPid] : [])];
  const serverRss = () => serverPids.reduce((sum, pid) => sum + rssKiB(pid), 0);
  /** The servers' own account of their memory (V8 spaces, buffers), summed over the variant's nodes. */
  const serverMemory = async () => {
    const parts = await Promise.all(servers.map((s) => ask<Record<string, number>>(s, 'memory')));
    const sum: Record<string, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(p)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
    return sum;
  };
  const workers = Array.from({ length: WORKERS }, () => fork('bench/signaling-load-worker.ts', [], { execArgv }));
  /** Runs a phase and says how much CPU the server and the load generators spent on it. */
  const measured = async <T>(phase: () => Promise<T>): Promise<{ result: T; serverCpuSeconds: number; cpu: string }> => {
    const perServer = () => serverPids.map((pid) => pidCpuSeconds(pid));
    const load = () => workers.reduce((sum, w) => sum + pidCpuSeconds(w.pid!), 0);
    const [servers0, load0] = [perServer(), load()];
    const t0 = performance.now();
    const result = await phase();
    const wall = (performance.now() - t0) / 1000;
    const [servers1, load1] = [perServer(), load()];
    const spent = servers1.map((s, i) => s - servers0[i]!);
    const serverCpuSeconds = spent.reduce((a, b) => a + b, 0);
    // Two nodes: each process's share too (node A, node B, Redis), to see where the cross-node cost sits.
    const split = spent.length > 1 ? ` (${spent.map((s) => percentOfCore(s, wall)).join(' + ')})` : '';
    return {
      result,
      serverCpuSeconds,
      cpu: `CPU server ${percentOfCore(serverCpuSeconds, wall)}${split}, load ${percentOfCore(load1 - load0, wall)}`,
    };
  };
  try {
    const rssBefore = serverRss();
    const memoryBefore = await serverMemory();
    const { url, viewerUrl } = variant;
    /** Every load process joins its share of `pairs` (in bursts, or one by one at `spreadPerS` in total); all join times. */
    const joinAll = async (pairs: number, firstId: number, spreadPerS?: number) => {
      const share = Math.ceil(pairs / WORKERS);
      const replies = await Promise.all(
        workers.map((w, i) =>
          ask<{ joins: number[] }>(w, {
            cmd: 'join',
            kind,
            url,
            viewerUrl,
            pairs: Math.min(share, pairs - i * share),
            burst: spreadPerS ? 1 : Math.ceil(BURST / WORKERS),
            idOffset: firstId + i * share,
            ...(spreadPerS ? { spreadPerS: spreadPerS / WORKERS } : {}),
          }),
        ),
      );
      return replies.flatMap((j) => j.joins);
    };
    const join = await measured(() => joinAll(PAIRS, 0));
    const joins = join.result;
    const memPerConn = (serverRss() - rssBefore) / (joins.length * 2);
    console.log(
      `${kind}: ${joins.length} pairs joined, p50 ${percentile(joins, 50).toFixed(1)} / p99 ${percentile(joins, 99).toFixed(1)} ms; ${join.cpu}; ${memPerConn.toFixed(2)} KiB per connection`,
    );
    rows.push(
      distribution('signaling_join_ms', kind, joins),
      single('signaling_pairs', kind, joins.length),
      single('signaling_mem_kib_per_conn', kind, memPerConn),
    );
    const idle = await measured(() => new Promise((r) => setTimeout(r, STEP_SECONDS * 1000)));
    console.log(`${kind}: all connected and idle, ${idle.cpu}`);

    const relay = async (rate: number, seconds = STEP_SECONDS) => {
      await Promise.all(servers.map((s) => ask(s, 'loop-stall')));
      const step = await measured(() =>
        Promise.all(
          workers.map((w) => ask<{ samples: number[]; sent: number; stallMs: number }>(w, { cmd: 'relay', rate: rate / WORKERS, seconds })),
        ),
      );
      const serverStall = Math.max(
        ...(await Promise.all(servers.map((s) => ask<{ stallMs: number }>(s, 'loop-stall')))).map((r) => r.stallMs),
      );
      const loadStall = Math.max(...step.result.map((r) => r.stallMs));
      const samples = step.result.flatMap((r) => r.samples);
      const lost = step.result.reduce((n, r) => n + r.sent, 0) - samples.length;
      const saturated = percentile(samples, 99) > KNEE_P99_MS || lost > samples.length * 0.01;
      // The server process's own CPU (from /proc), per signal it relayed: what the server costs, not the machine.
      const cpuUs = (step.serverCpuSeconds * 1e6) / Math.max(1, samples.length);
      console.log(
        `${kind}: ${rate}/s, ${samples.length} received, ${lost} lost, p50 ${percentile(samples, 50).toFixed(1)} / p99 ${percentile(samples, 99).toFixed(1)} ms; ${step.cpu} (${cpuUs.toFixed(1)} µs/signal); longest stall server ${serverStall.toFixed(0)} ms, load ${loadStall.toFixed(0)} ms${saturated ? ' — saturated' : ''}`,
      );
      return { samples, saturated, cpuUs };
    };
    await relay(LADDER[0]); // warm-up: JIT, socket buffers and the heap settle first
    /** RSS growth since before the joins, per connection still held, and where it sits. */
    const memoryNow = async (what: string) => {
      const perConn = (serverRss() - rssBefore) / (joins.length * 2);
      const parts = perConnection(memoryBefore, await serverMemory(), joins.length * 2);
      console.log(`${kind}: ${perConn.toFixed(2)} KiB per connection ${what}; where it sits: ${JSON.stringify(parts)}`);
      return { perConn, parts };
    };
    // Memory that stays after sustained relay at a rate every server here carries (none saturates at it).
    await relay(SUSTAINED_RATE, SUSTAINED_SECONDS);
    const sustained = await memoryNow(`after ${SUSTAINED_SECONDS} s of relay at ${SUSTAINED_RATE}/s`);
    rows.push(single('signaling_mem_kib_per_conn_after_relay', kind, sustained.perConn));
    memoryBreakdown[kind] = sustained.parts;
    let knee = 0;
    let healthySoFar = true;
    const ladder: LadderStep[] = (ladders[kind] = []);
    for (const rate of LADDER) {
      const { samples, saturated, cpuUs } = await relay(rate);
      ladder.push({ rate, cpuUs, relay: distribution('signaling_relay_ms', kind, samples) });
      healthySoFar &&= !saturated;
      if (healthySoFar) knee = rate;
      else if (rate >= 2 * Math.max(knee, LADDER[0]!)) break; // well past the knee: higher rates say nothing new
    }
    rows.push(single('signaling_knee_per_s', kind, knee));
    // And after the ladder, which drives every server past its saturation: what an overload leaves behind.
    const overloaded = await memoryNow('after the rate ladder (overload)');
    rows.push(single('signaling_mem_kib_per_conn_after_overload', kind, overloaded.perConn));
    overloadBreakdown[kind] = overloaded.parts;

    // Realistic arrivals on an emptied server: pairs one by one at SPREAD_PER_S, each join timed.
    await Promise.all(workers.map((w) => ask(w, { cmd: 'close' })));
    const spreadJoins = await joinAll(SPREAD_PAIRS, PAIRS, SPREAD_PER_S);
    console.log(
      `${kind}: ${spreadJoins.length} pairs arriving at ${SPREAD_PER_S}/s, join p50 ${percentile(spreadJoins, 50).toFixed(1)} / p99 ${percentile(spreadJoins, 99).toFixed(1)} ms`,
    );
    rows.push(distribution('signaling_join_spread_ms', kind, spreadJoins));
  } finally {
    await Promise.all(workers.map((w) => ask(w, { cmd: 'close' }).catch(() => undefined)));
    workers.forEach((w) => w.kill());
    await variant.stop();
  }
}

export async function runSignaling(): Promise<void> {
  const rows: Row[] = [];
  for (const kind of SERVERS) await runAgainst(kind, rows);
  belowEveryKnee(rows);
  publish(
    'signaling',
    {
      pairs: PAIRS,
      burst_pairs: BURST,
      signal_bytes: 400,
      load_processes: WORKERS,
      step_seconds: STEP_SECONDS,
      spread_join: `${SPREAD_PAIRS} pairs arriving one by one at ${SPREAD_PER_S}/s on an emptied server`,
      cpu_per_signal:
        'server process CPU (utime+stime from /proc; Redis included for peerdesk-2node) / signals relayed, at the highest rung at or below every knee (as the relay latency row)',
      ladder_cpu_us_per_signal: Object.fromEntries(
        Object.entries(ladders).map(([k, steps]) => [k, Object.fromEntries(steps.map((s) => [s.rate, +s.cpuUs.toFixed(1)]))]),
      ),
      ladder_relay_p99_ms: Object.fromEntries(
        Object.entries(ladders).map(([k, steps]) => [k, Object.fromEntries(steps.map((s) => [s.rate, s.relay.p99]))]),
      ),
      mem_after_relay: `RSS growth since before the joins, per connection, after ${SUSTAINED_SECONDS} s of relay at ${SUSTAINED_RATE}/s (after a 10-s warm-up)`,
      mem_after_overload: 'the same, after the whole rate ladder (every server saturated at its top)',
      mem_breakdown:
        "the server's own process.memoryUsage() and V8 heap spaces (physical size) before the joins and after the ladder; other = RSS growth not in the V8 heap or in buffers (malloc, stacks)",
      // The machine is shared: what else ran meanwhile (1, 5 and 15 min load averages at the end; 2 cores).
      load_average_at_end: loadavg().map((l) => +l.toFixed(1)),
      knee_rule: `highest rate of the ladder ${LADDER.join(', ')}/s before the first with relay p99 > ${KNEE_P99_MS} ms or >1% lost`,
    },
    rows,
    { mem_breakdown_kib_per_conn: memoryBreakdown, mem_breakdown_after_overload_kib_per_conn: overloadBreakdown },
  );
}
