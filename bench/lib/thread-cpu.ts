import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TICKS_PER_S = 100; // Linux USER_HZ

/**
 * CPU ticks so far of every thread of every process whose command line contains `marker` and that runs in `cwd`
 * (this checkout: other checkouts' browsers on a shared machine are not counted), summed by
 * "<process type>:<thread name>" (e.g. `renderer:CrRendererMain`, `renderer:WebRTC_Network`): where a browser's
 * time goes, including the threads a page's JavaScript profile never sees (network, encoder, decoder).
 */
export function threadTicks(marker: string, cwd = process.cwd()): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(marker) || readlinkSync(`/proc/${pid}/cwd`) !== cwd) continue;
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${type}:${name.replace(/\d+$/, '')}`;
        out.set(key, (out.get(key) ?? 0) + Number(fields[11]) + Number(fields[12]));
      }
    } catch {
      // the process or thread ended while we read it
    }
  }
  return out;
}

/** The threads that used the most CPU between two snapshots: seconds each, largest first. */
export function topThreads(before: Map<string, number>, after: Map<string, number>, n = 8): Record<string, number> {
  const used = [...after].map(([k, t]) => [k, (t - (before.get(k) ?? 0)) / TICKS_PER_S] as const);
  return Object.fromEntries(
    used
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, s]) => [k, +s.toFixed(2)]),
  );
}
