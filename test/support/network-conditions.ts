import { execFileSync } from 'node:child_process';

export interface NetworkConditions {
  /** Rate cap on loopback (token bucket), Mbit/s. */
  rateMbit: number;
  /** Random loss on every UDP packet and on these TCP ports both ways, percent. */
  lossPct: number;
  tcpPorts: number[];
}

const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A bad network on the loopback of the network namespace the tests and benchmarks run in: `tbf` for the rate (`netem` does not exist on
 * these kernels) and `iptables -m statistic` for loss. Loopback's MTU goes to 1500 first: with a 64 KiB MTU the
 * small burst drops whole large TCP segments, which would hurt VNC alone. Returns the undo.
 */
export function constrainLoopback(c: NetworkConditions): () => void {
  // Never touch the machine's real loopback: only the namespace scripts/test.sh and scripts/bench.sh make.
  if (process.env.PEERDESK_IN_NETNS !== '1')
    throw new Error('network conditions need the bench network namespace (npm test, npm run bench)');
  run('ip', 'link', 'set', 'lo', 'mtu', '1500');
  run('tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', `${c.rateMbit}mbit`, 'burst', '32kbit', 'latency', '200ms');
  const drop = (...match: string[]) => [
    'INPUT',
    ...match,
    '-m',
    'statistic',
    '--mode',
    'random',
    '--probability',
    String(c.lossPct / 100),
    '-j',
    'DROP',
  ];
  // Loopback packets pass INPUT once each, whichever way they go.
  const rules =
    c.lossPct > 0
      ? [
          drop('-p', 'udp'),
          ...c.tcpPorts.flatMap((p) => [drop('-p', 'tcp', '--dport', String(p)), drop('-p', 'tcp', '--sport', String(p))]),
        ]
      : [];
  for (const r of rules) run('iptables', '-A', ...r);
  return () => {
    for (const r of rules) run('iptables', '-D', ...r);
    run('tc', 'qdisc', 'del', 'dev', 'lo', 'root');
    run('ip', 'link', 'set', 'lo', 'mtu', '65536');
  };
}
