/**
 * Signaling load: N host/viewer pairs join in bursts, then relay ~400-byte signals at a
 * steady total rate, against PeerDesk's server and the PeerJS server in the same run.
 * Server and load generators are separate processes (one server process may hold at most
 * ~19,000 sockets here: 20,000 open files per process). Run: npm run bench -- signaling
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../test/support/free-port';
import { publish } from './lib/results';
import { distribution, percentile, type Row, single } from './lib/stats';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 9000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const BURST = 250;
const RATE = 20_000;
const RELAY_SECONDS = 5;
const SATURATION_RATES = [10_000, 20_000, 30_000, 40_000, 50_000, 60_000];
const SATURATION_P99_MS = 50;

const tsx = { execArgv: ['--import', 'tsx'] };
const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

function ask<T>(worker: ChildProcess, command: object): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve(m as T) : reject(new Error(m.error))));
    worker.send(command);
  });
}

async function startServer(kind: 'peerdesk' | 'peerjs', port: number): Promise<ChildProcess> {
  const server = fork('bench/signaling-servers.ts', [kind, String(port)], { ...tsx, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => server.once('message', resolve));
  return server;
}

async function runAgainst(kind: 'peerdesk' | 'peerjs', rows: Row[]): Promise<void> {
  const port = await freePort();
  const server = await startServer(kind, port);
  const workers = Array.from({ length: WORKERS }, () => fork('bench/signaling-load-worker.ts', [], tsx));
  try {
    const rssBefore = rssKiB(server.pid!);
    const url = kind === 'peerdesk' ? `ws://127.0.0.1:${port}/ws` : `ws://127.0.0.1:${port}`;
    const share = Math.ceil(PAIRS / WORKERS);
    const t0 = Date.now();
    const joined = await Promise.all(
      workers.map((w, i) =>
        ask<{ joins: number[] }>(w, {
          cmd: 'join',
          kind,
          url,
          pairs: Math.min(share, PAIRS - i * share),
          burst: Math.ceil(BURST / WORKERS),
          idOffset: i * share,
        }),
      ),
    );
    const joins = joined.flatMap((j) => j.joins);
    const connections = joins.length * 2;
    const memPerConn = (rssKiB(server.pid!) - rssBefore) / connections;
    console.log(
      `${kind}: ${joins.length} pairs joined in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${memPerConn.toFixed(2)} KiB per connection`,
    );
    rows.push(
      distribution('signaling_join_ms', kind, joins),
      single('signaling_pairs', kind, joins.length),
      single('signaling_mem_kib_per_conn', kind, memPerConn),
    );

    const relay = async (rate: number) => {
      const results = await Promise.all(
        workers.map((w) => ask<{ samples: number[]; sent: number }>(w, { cmd: 'relay', rate: rate / WORKERS, seconds: RELAY_SECONDS })),
      );
      const samples = results.flatMap((r) => r.samples);
      const sent = results.reduce((n, r) => n + r.sent, 0);
      console.log(
        `${kind}: ${rate}/s offered, ${(sent / RELAY_SECONDS).toFixed(0)}/s sent, ${samples.length} received, p50 ${percentile(samples, 50).toFixed(1)} / p99 ${percentile(samples, 99).toFixed(1)} ms`,
      );
      return { samples, lost: sent - samples.length };
    };
    await relay(RATE / 4); // warm-up: JIT, buffers, GC settle
    const steady = await relay(RATE);
    rows.push(distribution('signaling_relay_ms', kind, steady.samples));
    let saturation = 0;
    for (const rate of SATURATION_RATES) {
      const { samples, lost } = await relay(rate);
      if (percentile(samples, 99) > SATURATION_P99_MS || lost > samples.length * 0.01) break;
      saturation = rate;
    }
    rows.push(single('signaling_saturation_per_s', kind, saturation));
  } finally {
    await Promise.all(workers.map((w) => ask(w, { cmd: 'close' }).catch(() => undefined)));
    workers.forEach((w) => w.kill());
    server.kill();
  }
}

export async function runSignaling(): Promise<void> {
  const rows: Row[] = [];
  await runAgainst('peerdesk', rows);
  await runAgainst('peerjs', rows);
  publish(
    'signaling',
    {
      pairs: PAIRS,
      burst_pairs: BURST,
      relay_rate_per_s: RATE,
      signal_bytes: 400,
      load_processes: WORKERS,
      saturation_rule: `p99 > ${SATURATION_P99_MS} ms or >1% lost`,
    },
    rows,
  );
}
