/**
 * What the server's audit trail costs the relay (issue 24): PeerDesk's server with the trail off, on SQLite and on
 * PostgreSQL, in one run, each in its own process, with the same load processes as the signaling benchmark. Each
 * variant: N pairs join (their session, join and consent records), then relay ~400-byte signals at a steady rate while
 * every AUDIT_EVERY-th signal's host also reports a file to the trail; relay p50/p99 and the server process's CPU per
 * relayed signal (from /proc, all its threads; its main thread apart). The variants' servers run side by side and are
 * measured in turns (CYCLES short steps each, the order alternating), so the shared machine's busy spells fall on all
 * of them alike. Then hosts report files only, at 2,000/s, for the trail's sustained writes per second (its own
 * counters). BENCH_AUDIT_ROUNDS=n repeats it all with fresh processes. Run: npm run bench -- audit
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port';
import { PostgresServer } from '../test/support/postgres-server';
import { builtServerEntry } from './lib/built-server';
import { pidCpuSeconds, treeCpuSeconds } from './lib/process-cpu';
import { publish } from './lib/results';
import { distribution, percentile, type Row, single } from './lib/stats';
import { ask } from './lib/ask-child';

/**
 * Named apart from the signaling benchmark's `peerdesk` rows (bench/signaling.ts, another rate and load): a
 * `peerdesk` row here would stand for the signaling figure wherever results are read by metric and variant.
 */
type Variant =
  | 'peerdesk-audit-off'
  | 'peerdesk-audit-sqlite'
  | 'peerdesk-audit-postgres'
  | 'peerdesk-audit-idle-thread'
  | 'peerdesk-audit-sqlite-unposted'
  | 'peerdesk-audit-off-again';
const ALL_VARIANTS: Variant[] = ['peerdesk-audit-off', 'peerdesk-audit-sqlite', 'peerdesk-audit-postgres'];
/**
 * Never published, only named (issue 24: where the relay thread's added cost comes from): `idle-thread`, the trail off
 * with the SQLite writer thread started and never sent a batch (a thread in the process, none of the trail's work);
 * `sqlite-unposted`, the trail recording and batching as on SQLite but every batch dropped instead of posted to the
 * writer thread (the trail's work on the relay's thread, no thread); `off-again`, a second server with the trail off
 * (what two identical servers differ by in one run: the benchmark's own floor).
 */
const DIAGNOSTIC_VARIANTS: Variant[] = ['peerdesk-audit-idle-thread', 'peerdesk-audit-sqlite-unposted', 'peerdesk-audit-off-again'];
/**
 * BENCH_AUDIT_VARIANTS=off,sqlite: some of them only (a profile of one store); off,idle-thread,sqlite-unposted,sqlite: the
 * A/B. Started in the order given (whether being started first favours a server can be tried by naming it last).
 */
const VARIANTS = (process.env.BENCH_AUDIT_VARIANTS ?? 'off,sqlite,postgres')
  .split(',')
  .map((name) => `peerdesk-audit-${name.trim()}` as Variant)
  .filter((v, i, all) => [...ALL_VARIANTS, ...DIAGNOSTIC_VARIANTS].includes(v) && all.indexOf(v) === i);

const PAIRS = Number(process.env.BENCH_AUDIT_PAIRS ?? 200);
const WORKERS = 2;
/** Far below the server's saturation on a quiet machine (12,500/s in signaling.json): on the shared, overloaded machine a higher rate measured the machine's backlog, not the trail. */
const RATE = Number(process.env.BENCH_AUDIT_RATE ?? 500);
/** One file report per this many signals: 50 records/s at 500 signals/s, far more than real sessions write. */
const AUDIT_EVERY = Number(process.env.BENCH_AUDIT_EVERY ?? 10);
const WARM_UP_SECONDS = 5;
const STEP_SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_AUDIT_ROUNDS ?? 1);
/** Each variant's step is measured in this many turns, the variants taking turns (runRound). */
const CYCLES = Number(process.env.BENCH_AUDIT_CYCLES ?? 4);
/** Past the trail's batch window (1 s, signaling/audit/audit-trail.ts): a step's last batch is written within it. */
const FLUSH_WAIT_MS = 1200;
/** Offered report rate for the write-rate phase, and how long; then the trail drains what it buffered. */
const FLOOD_RATE = 2000;
const FLOOD_SECONDS = Number(process.env.BENCH_AUDIT_FLOOD_SECONDS ?? 5);
const DRAIN_LIMIT_MS = 60_000;
const execArgv = ['--import', 'tsx'];
/** BENCH_SERVER_ARGS passes Node flags to the servers alone, as in the signaling benchmark: "--cpu-prof --cpu-prof-dir=/tmp/prof". */
const serverArgv = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);

/**
 * The server's CPU seconds so far, its main thread (the relay's event loop) apart from its other threads (the SQLite
 * writer, V8's compiler and GC helpers, libuv's pool): where an added cost lands tells what it is.
 */
function threadCpuSeconds(pid: number): {
  main: number;
  mainSystem: number;
  mainEvents: MainEvents;
  others: number;
  byThread: Map<string, number>;
} {
  let main = 0;
  let mainSystem = 0;
  let mainEvents: MainEvents = { faults: 0, sleeps: 0, preempted: 0 };
  let others = 0;
  const byThread = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100; // Linux USER_HZ
      byThread.set(tid, seconds);
      if (Number(tid) === pid) {
        main += seconds;
        mainSystem += Number(fields[12]) / 100;
        mainEvents = mainThreadEvents(pid, Number(fields[7]));
      } else others += seconds;
    } catch {
      // the thread ended while we read it (its ticks are then the process's, in pidCpuSeconds)
    }
  }
  return { main, mainSystem, mainEvents, others, byThread };
}

/**
 * Counts of what costs the main thread kernel time, less noisy than CPU time on a shared machine: minor page faults
 * (a heap growing and shrinking), voluntary context switches (each a sleep in epoll_wait or on a lock and a wake-up),
 * involuntary ones (preempted).
 */
interface MainEvents {
  faults: number;
  sleeps: number;
  preempted: number;
}

function mainThreadEvents(pid: number, faults: number): MainEvents {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  const count = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { faults, sleeps: count('voluntary_ctxt_switches'), preempted: count('nonvoluntary_ctxt_switches') };
}

interface AuditCounters {
  written: number;
  dropped: number;
  buffered: number;
  failures: number;
}

async function startServer(auditDb: string | undefined, env: Record<string, string>): Promise<{ server: ChildProcess; url: string }> {
  const port = await freePort();
  const server = fork(await builtServerEntry(), ['peerdesk', String(port)], {
    execArgv: serverArgv,
    env: { ...process.env, ...(auditDb ? { BENCH_AUDIT_DB: auditDb } : {}), ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => server.once('message', resolve));
  return { server, url: `ws://127.0.0.1:${port}/ws` };
}

interface Samples {
  relay: number[];
  cpuUs: number[];
  cpuWithDbUs: number[];
  mainThreadUs: number[];
  writesPerS: number[];
  dropped: number;
  auditWritten: number;
}

/** One variant's server and load processes, joined and kept for the round. */
interface Running {
  variant: Variant;
  server: ChildProcess;
  workers: ChildProcess[];
  dbCpu: () => number;
}

async function setUp(variant: Variant, pg: PostgresServer, round: number): Promise<Running> {
  const sqliteFile = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'peerdesk-bench-audit-')), 'audit.sqlite')}`;
  const auditDb =
    variant === 'peerdesk-audit-sqlite' || variant === 'peerdesk-audit-sqlite-unposted'
      ? sqliteFile()
      : variant === 'peerdesk-audit-postgres'
        ? await pg.database(`bench_audit_${process.pid}_${round}`)
        : undefined;
  // bench/signaling-servers.ts reads these: an idle writer thread beside the trail off; batches never posted.
  const env: Record<string, string> =
    variant === 'peerdesk-audit-idle-thread'
      ? { BENCH_IDLE_WRITER_THREAD: sqliteFile() }
      : variant === 'peerdesk-audit-sqlite-unposted'
        ? { BENCH_AUDIT_UNPOSTED: '1' }
        : {};
  const { server, url } = await startServer(auditDb, env);
  const workers = Array.from({ length: WORKERS }, () => fork('bench/signaling-load-worker.ts', [], { execArgv }));
  // The database's own processes are part of what the trail costs on PostgreSQL (SQLite runs inside the server).
  const dbCpu = () => (variant === 'peerdesk-audit-postgres' ? treeCpuSeconds(pg.dir) : 0);
  const running = { variant, server, workers, dbCpu };
  try {
    const share = Math.ceil(PAIRS / WORKERS);
    await Promise.all(workers.map((w, i) => ask(w, { cmd: 'join', kind: 'peerdesk', url, pairs: share, burst: 100, idOffset: i * share })));
  } catch (err) {
    tearDown(running);
    throw err;
  }
  return running;
}

interface Step {
  samples: number[];
  lost: number;
  serverCpu: number;
  dbCpu: number;
  mainCpu: number;
  /** The main thread's kernel time (stime): socket writes, and interrupts taken while it ran. */
  mainSystemCpu: number;
  mainEvents: MainEvents;
  gc: GcCounts;
}

/** The server's main-thread garbage collections (bench/signaling-servers.ts): scavenges and the rest, and their time. */
interface GcCounts {
  minor: number;
  minorMs: number;
  major: number;
  majorMs: number;
}

const gcDelta = (a: GcCounts, b: GcCounts): GcCounts => ({
  minor: b.minor - a.minor,
  minorMs: b.minorMs - a.minorMs,
  major: b.major - a.major,
  majorMs: b.majorMs - a.majorMs,
});

/** Relays at RATE for `seconds`; what the server (and its database) spent meanwhile, its last batch's flush included. */
async function relayStep({ variant, server, workers, dbCpu }: Running, seconds: number): Promise<Step> {
  const gc0 = await ask<GcCounts>(server, 'gc');
  const threads0 = threadCpuSeconds(server.pid!);
  const cpu0 = [pidCpuSeconds(server.pid!), dbCpu(), threads0.main];
  const replies = await Promise.all(
    workers.map((w) =>
      ask<{ samples: number[]; sent: number }>(w, { cmd: 'relay', rate: RATE / WORKERS, seconds, auditEvery: AUDIT_EVERY }),
    ),
  );
  // The trail writes a batch up to 1 s after its first record: the step's last batch is its cost, counted here.
  await new Promise((r) => setTimeout(r, FLUSH_WAIT_MS));
  const threads1 = threadCpuSeconds(server.pid!);
  const gc1 = await ask<GcCounts>(server, 'gc');
  const cpu1 = [pidCpuSeconds(server.pid!), dbCpu(), threads1.main];
  if (process.env.BENCH_AUDIT_THREADS)
    console.log(
      `${variant} threads (tid: ms):`,
      [...threads1.byThread].map(([tid, s]) => `${tid}:${Math.round((s - (threads0.byThread.get(tid) ?? 0)) * 1000)}`).join(' '),
    );
  const samples = replies.flatMap((r) => r.samples);
  const lost = replies.reduce((n, r) => n + r.sent, 0) - samples.length;
  return {
    samples,
    lost,
    serverCpu: cpu1[0] - cpu0[0],
    dbCpu: cpu1[1] - cpu0[1],
    mainCpu: cpu1[2] - cpu0[2],
    mainSystemCpu: threads1.mainSystem - threads0.mainSystem,
    mainEvents: {
      faults: threads1.mainEvents.faults - threads0.mainEvents.faults,
      sleeps: threads1.mainEvents.sleeps - threads0.mainEvents.sleeps,
      preempted: threads1.mainEvents.preempted - threads0.mainEvents.preempted,
    },
    gc: gcDelta(gc0, gc1),
  };
}

function tearDown({ server, workers }: Running): void {
  void Promise.all(workers.map((w) => ask(w, { cmd: 'close' }).catch(() => undefined))).then(() => workers.forEach((w) => w.kill()));
  server.kill();
}

/** One round's steps of a variant, pooled: its relay samples, and CPU per signal over all of them. */
function recordRound(variant: Variant, round: number, steps: Step[], into: Samples): void {
  const samples = steps.flatMap((s) => s.samples);
  const sum = (pick: (s: Step) => number) => steps.reduce((a, s) => a + pick(s), 0);
  const n = Math.max(1, samples.length);
  const cpuUs = (sum((s) => s.serverCpu) * 1e6) / n;
  const cpuWithDbUs = (sum((s) => s.serverCpu + s.dbCpu) * 1e6) / n;
  const mainThreadUs = (sum((s) => s.mainCpu) * 1e6) / n;
  const mainSystemUs = (sum((s) => s.mainSystemCpu) * 1e6) / n;
  const perK = (pick: (s: Step) => number) => ((sum(pick) * 1000) / n).toFixed(0);
  into.mainThreadUs.push(mainThreadUs);
  into.relay.push(...samples);
  into.cpuUs.push(cpuUs);
  into.cpuWithDbUs.push(cpuWithDbUs);
  console.log(
    `${variant} (round ${round + 1}): ${RATE}/s, ${samples.length} received, ${sum((s) => s.lost)} lost, p50 ${percentile(samples, 50).toFixed(1)} / p99 ${percentile(samples, 99).toFixed(1)} ms; server ${cpuUs.toFixed(1)} µs/signal (its main thread ${mainThreadUs.toFixed(1)}, of which kernel ${mainSystemUs.toFixed(1)}; other threads ${(cpuUs - mainThreadUs).toFixed(1)}; with the database ${cpuWithDbUs.toFixed(1)}); main thread per 1,000 signals: ${perK((s) => s.mainEvents.faults)} page faults, ${perK((s) => s.mainEvents.sleeps)} sleeps, ${perK((s) => s.mainEvents.preempted)} preemptions, ${perK((s) => s.gc.minor)} scavenges (${perK((s) => s.gc.minorMs)} ms), ${perK((s) => s.gc.major)} other collections (${perK((s) => s.gc.majorMs)} ms)`,
  );
}

/**
 * Sustained writes: reports offered faster than the store writes; the rate at which the trail wrote them. The rate is
 * what was written while reports kept coming (a backlog then means the store is the limit; none, that it kept up with
 * the offered rate): the tail's last batch waits for its window (1 s), which is not the store's speed.
 */
async function floodPhase({ variant, server, workers }: Running, round: number, into: Samples): Promise<void> {
  const counters = () => ask<AuditCounters>(server, 'audit');
  const before = await counters();
  const t0 = performance.now();
  await Promise.all(workers.map((w) => ask(w, { cmd: 'audit', rate: FLOOD_RATE / WORKERS, seconds: FLOOD_SECONDS })));
  const atEnd = await counters();
  const seconds = (performance.now() - t0) / 1000;
  let now = atEnd;
  while (now.buffered > 0 && performance.now() - t0 < DRAIN_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    now = await counters();
  }
  const written = atEnd.written - before.written;
  const dropped = now.dropped - before.dropped;
  into.writesPerS.push(written / seconds);
  into.dropped += dropped;
  into.auditWritten = now.written;
  console.log(
    `${variant} (round ${round + 1}): ${written} audit records written in the ${seconds.toFixed(1)} s of reports = ${(written / seconds).toFixed(0)}/s, ${atEnd.buffered} waiting at its end; ${now.written - before.written} written when drained (${dropped} dropped at the 10,000-record buffer, ${now.failures} failed writes)`,
  );
}

/**
 * A round: every variant's server up at once (each its own process, idle while another is measured), warmed, then
 * measured in turns of STEP_SECONDS / CYCLES, the order alternating: a busy spell of the shared machine falls on all
 * of them alike instead of on whichever variant ran then.
 */
async function runRound(pg: PostgresServer, round: number, samples: Record<Variant, Samples>): Promise<void> {
  const running: Running[] = [];
  try {
    // The start order turns each round: with off always started first, off read 15–40 µs per signal cheaper on its
    // main thread than whichever server came second, and as much dearer when started last (2026-12-08, issue 24).
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const v of order)
      // A load socket reset under an overloaded machine ends that variant's round, not the run: said, and skipped.
      await setUp(v, pg, round).then(
        (r) => running.push(r),
        (err: Error) => console.log(`${v} (round ${round + 1}) failed: ${err.message}`),
      );
    for (const r of running) await relayStep(r, WARM_UP_SECONDS);
    const steps = new Map<Running, Step[]>(running.map((r) => [r, []]));
    for (let cycle = 0; cycle < CYCLES; cycle++)
      for (const r of (round + cycle) % 2 ? [...running].reverse() : running) steps.get(r)!.push(await relayStep(r, STEP_SECONDS / CYCLES));
    for (const r of running) recordRound(r.variant, round, steps.get(r)!, samples[r.variant]);
    for (const r of running)
      if (r.variant !== 'peerdesk-audit-off' && !DIAGNOSTIC_VARIANTS.includes(r.variant) && FLOOD_SECONDS > 0)
        await floodPhase(r, round, samples[r.variant]);
  } finally {
    running.forEach(tearDown);
  }
}

export async function runAuditTrail(): Promise<void> {
  const pg = await PostgresServer.start({ durable: true });
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      { relay: [], cpuUs: [], cpuWithDbUs: [], mainThreadUs: [], writesPerS: [], dropped: 0, auditWritten: 0 } as Samples,
    ]),
  ) as Record<Variant, Samples>;
  try {
    for (let round = 0; round < ROUNDS; round++) await runRound(pg, round, samples);
  } finally {
    await pg.destroy();
  }
  const rows: Row[] = [];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const off = samples['peerdesk-audit-off'];
  const versusOff: Record<string, Record<string, string>> = {};
  for (const v of VARIANTS) {
    const s = samples[v];
    rows.push(distribution('signaling_relay_ms', v, s.relay));
    rows.push({ ...single('signaling_cpu_us_per_signal', v, mean(s.cpuUs)), rate_per_s: RATE });
    if (v === 'peerdesk-audit-off') continue;
    if (!DIAGNOSTIC_VARIANTS.includes(v)) rows.push(single('audit_writes_per_s', v, mean(s.writesPerS)));
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    versusOff[v] = {
      relay_p99: pct(percentile(s.relay, 99), percentile(off.relay, 99)),
      cpu_per_signal: pct(mean(s.cpuUs), mean(off.cpuUs)),
      cpu_per_signal_with_database: pct(mean(s.cpuWithDbUs), mean(off.cpuUs)),
      main_thread_cpu_per_signal: pct(mean(s.mainThreadUs), mean(off.mainThreadUs)),
      dropped_in_write_phase: String(s.dropped),
    };
  }
  console.log('against the trail off:', versusOff);
  console.log(
    'main thread / other threads, µs per signal:',
    Object.fromEntries(
      VARIANTS.map((v) => [
        v,
        `${mean(samples[v].mainThreadUs).toFixed(1)} / ${(mean(samples[v].cpuUs) - mean(samples[v].mainThreadUs)).toFixed(1)}`,
      ]),
    ),
  );
  // A profile of some variants, or another report rate, is not the benchmark's figure.
  if (VARIANTS.length !== ALL_VARIANTS.length || !ALL_VARIANTS.every((v) => VARIANTS.includes(v)) || AUDIT_EVERY !== 10) return;
  publish(
    'audit-trail',
    {
      pairs: PAIRS,
      relay_rate_per_s: RATE,
      signal_bytes: 400,
      audit_report_every_n_signals: AUDIT_EVERY,
      audit_record: 'a host reporting a file (name, size, SHA-256), ~200 bytes of fields',
      load_processes: WORKERS,
      step_seconds: STEP_SECONDS,
      warm_up_seconds: WARM_UP_SECONDS,
      rounds: `${ROUNDS}, fresh processes each; in a round the variants' servers run side by side, measured in ${CYCLES} turns of ${STEP_SECONDS / CYCLES} s each, the order alternating; relay samples pooled, CPU averaged over the rounds`,
      cpu_per_signal:
        'server process CPU, all its threads (utime+stime from /proc, the SQLite writer thread included) / signals relayed; the database processes are added in versus_off only',
      writes_per_s: `hosts report files at ${FLOOD_RATE}/s for ${FLOOD_SECONDS} s; records the trail wrote meanwhile (its peerdesk_audit_written_total) / that time: the store's limit when a backlog was left, else the offered rate it kept up with; then drained (dropped counted)`,
      stores:
        'SQLite: a file in /tmp (better-sqlite3, in a writer thread of the server process); PostgreSQL 15 from Debian on 127.0.0.1, a fresh cluster with fsync and synchronous_commit on (test/support/postgres-server.ts, durable)',
      machine_note: 'run on the shared 2-core machine while other work ran on it',
    },
    rows,
    { versus_off: versusOff },
  );
}
