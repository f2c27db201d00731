import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // Linux USER_HZ

/** A process's parent and CPU ticks (user + system) from /proc/<pid>/stat; the name field may hold spaces. */
function procStat(pid: number | string): { ppid: number; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU seconds (user + system) used so far by the processes whose command line contains `marker`, and all their descendants. */
export function treeCpuSeconds(marker: string): number {
  const procs = new Map<number, { ppid: number; ticks: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      procs.set(Number(entry), { ...procStat(entry), cmd });
    } catch {
      // the process ended while we read it
    }
  }
  const roots = [...procs].filter(([, p]) => p.cmd.includes(marker)).map(([pid]) => pid);
  const inTree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) {
      if (inTree.has(pid) || !inTree.has(p.ppid)) continue;
      inTree.add(pid);
      grew = true;
    }
  }
  return [...inTree].reduce((sum, pid) => sum + procs.get(pid)!.ticks, 0) / TICKS_PER_S;
}

/** CPU seconds (user + system) used so far by one process. */
export function pidCpuSeconds(pid: number): number {
  return procStat(pid).ticks / TICKS_PER_S;
}
