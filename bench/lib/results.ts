import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Row } from './stats';

/** Prints the table and writes bench/results/<bench>.json in the format of DESIGN.md §6. */
export function publish(bench: string, params: Record<string, unknown>, rows: Row[], extra: Record<string, unknown> = {}): void {
  const result = {
    bench,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    params,
    rows,
    ...extra,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${bench}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${bench} — ${result.date}`);
  console.table(
    rows.map((r) => ({
      metric: r.metric,
      variant: r.variant,
      n: r.n ?? '',
      p50: r.p50 ?? '',
      p95: r.p95 ?? '',
      p99: r.p99 ?? '',
      value: r.value ?? '',
    })),
  );
  console.log(`wrote bench/results/${bench}.json`);
}
