/**
 * Help request made → visible in every open console (issue 25), with 1,000 requests waiting and 100 consoles
 * watching: `peerdesk` (one node) and `peerdesk-2node` (two nodes on one Redis; people and consoles spread over
 * both, so half the consoles hear each request across Redis). The servers run in processes of their own; the probe
 * (`help-queue-probe.ts`, another process) holds every socket and does all the timing; this process reads the
 * servers' CPU from /proc. Each measured request is cancelled once every console has it, so the queue stays at 1,000
 * and each sample is two queue updates (added, removed). Run: npm run bench -- help-queue
 */
import { type ChildProcess, fork } from 'node:child_process';
import { freePort } from '../test/support/free-port';
import { RedisServer } from '../test/support/redis-server';
import { pidCpuSeconds } from './lib/process-cpu';
import { publish } from './lib/results';
import { distribution, percentile, type Row, single } from './lib/stats';
import { ask } from './lib/ask-child';

type Variant = 'peerdesk' | 'peerdesk-2node';
const VARIANTS: Variant[] = ['peerdesk', 'peerdesk-2node'];
const WAITING = Number(process.env.BENCH_QUEUE_WAITING ?? 1000);
const CONSOLES = Number(process.env.BENCH_QUEUE_CONSOLES ?? 100);
const SAMPLES = Number(process.env.BENCH_QUEUE_SAMPLES ?? 200);
const WARM_UP = 20;
const SECRET = 'help-queue-bench-secret';
const execArgv = ['--import', 'tsx'];

async function startNode(redisUrl: string | undefined): Promise<{ proc: ChildProcess; httpUrl: string; wsUrl: string }> {
  const port = await freePort();
  const proc = fork('bench/help-queue-server.ts', [String(port)], {
    execArgv,
    env: { ...process.env, BENCH_SESSION_SECRET: SECRET, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => proc.once('message', resolve));
  return { proc, httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws` };
}

interface Measured {
  visible: number[];
  removed: number[];
  cpuUsPerUpdate: number;
  redisCpuUsPerUpdate: number;
}

async function runVariant(variant: Variant): Promise<Measured> {
  const redis = variant === 'peerdesk-2node' ? await RedisServer.start() : undefined;
  const nodes = await Promise.all(Array.from({ length: redis ? 2 : 1 }, () => startNode(redis?.url)));
  const probe = fork('bench/help-queue-probe.ts', [], { execArgv });
  try {
    const t0 = performance.now();
    await ask(probe, {
      cmd: 'setup',
      nodes: nodes.map(({ httpUrl, wsUrl }) => ({ httpUrl, wsUrl })),
      secret: SECRET,
      consoles: CONSOLES,
      waiting: WAITING,
    });
    console.log(`${variant}: ${WAITING} waiting, ${CONSOLES} consoles in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await ask(probe, { cmd: 'prepare', samples: WARM_UP });
    await ask(probe, { cmd: 'measure' });
    await ask(probe, { cmd: 'prepare', samples: SAMPLES });
    const cpu = () => nodes.reduce((sum, n) => sum + pidCpuSeconds(n.proc.pid!), 0);
    const [server0, redis0] = [cpu(), redis ? pidCpuSeconds(redis.pid) : 0];
    const started = performance.now();
    const got = await ask<{ visible: number[]; removed: number[] }>(probe, { cmd: 'measure' });
    const updates = got.visible.length + got.removed.length;
    const [server1, redis1] = [cpu(), redis ? pidCpuSeconds(redis.pid) : 0];
    // As long again with the sockets open and nothing asked (heartbeats, sweeps): taken off, so the figure is what
    // the updates cost, not what 1,100 idle sockets cost meanwhile.
    await new Promise((r) => setTimeout(r, performance.now() - started));
    const [idleServer, idleRedis] = [cpu() - server1, redis ? pidCpuSeconds(redis.pid) - redis1 : 0];
    const cpuUsPerUpdate = ((server1 - server0 - idleServer) * 1e6) / updates;
    const redisCpuUsPerUpdate = redis ? ((redis1 - redis0 - idleRedis) * 1e6) / updates : 0;
    console.log(`${variant}: idle as long: servers ${(idleServer * 1e3).toFixed(0)} ms CPU, Redis ${(idleRedis * 1e3).toFixed(0)} ms`);
    const p = (xs: number[], q: number) => percentile(xs, q).toFixed(1);
    console.log(
      `${variant}: visible in all ${CONSOLES} p50 ${p(got.visible, 50)} / p95 ${p(got.visible, 95)} ms; removed p50 ${p(got.removed, 50)} / p95 ${p(got.removed, 95)} ms; servers ${cpuUsPerUpdate.toFixed(0)} µs CPU per update${redis ? `, Redis ${redisCpuUsPerUpdate.toFixed(0)}` : ''}`,
    );
    return { ...got, cpuUsPerUpdate, redisCpuUsPerUpdate };
  } finally {
    await ask(probe, { cmd: 'close' }).catch(() => undefined);
    probe.kill();
    nodes.forEach((n) => n.proc.kill());
    await redis?.stop();
  }
}

export async function runHelpQueue(): Promise<void> {
  const rows: Row[] = [];
  for (const variant of VARIANTS) {
    const m = await runVariant(variant);
    rows.push(distribution('help_request_visible_ms', variant, m.visible));
    rows.push(distribution('help_request_removed_visible_ms', variant, m.removed));
    rows.push(single('help_queue_cpu_us_per_update', variant, m.cpuUsPerUpdate));
    if (variant === 'peerdesk-2node') rows.push(single('help_queue_redis_cpu_us_per_update', variant, m.redisCpuUsPerUpdate));
  }
  publish(
    'help-queue',
    {
      waiting_requests: WAITING,
      consoles: CONSOLES,
      samples: SAMPLES,
      warm_up_samples: WARM_UP,
      arrival: 'one measured request at a time: made, seen by every console, cancelled, seen removed by every console, next',
      help_request_visible_ms: "host sends help.request → the last of the consoles has its queue.added (the probe's one clock)",
      help_request_removed_visible_ms: 'host sends help.cancel → the last of the consoles has its queue.removed',
      cpu_per_update:
        'CPU (utime+stime from /proc) of the server processes (both nodes summed) over the measured updates, less their CPU over as long again idle (sockets open, nothing asked), / queue updates (each sample: an add and a remove); Redis separately',
      consoles_auth: "technicians signed in with the sign-in cookie sealed by the server's own sealer (signaling/auth), then queue.watch",
      two_nodes: 'people and consoles alternate between the nodes; the measured requests too',
      machine_note: 'run on the shared 2-core machine while other work ran on it',
    },
    rows,
  );
}
