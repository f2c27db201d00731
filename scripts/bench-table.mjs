// Renders bench/results/*.json (DESIGN.md §6 format) as the Markdown tables in the README: node scripts/bench-table.mjs
import { readdirSync, readFileSync } from 'node:fs';

const order = ['peerdesk', 'baseline', 'novnc', 'peerjs', 'harness'];
for (const file of readdirSync('bench/results')
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(`bench/results/${file}`, 'utf8'));
  console.log(`\n**${r.bench}** — ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.machine.cpus} × ${r.machine.model}\n`);
  console.log('| metric | variant | p50 | p95 | p99 | value |\n| --- | --- | ---: | ---: | ---: | ---: |');
  const rows = [...r.rows].sort((a, b) => a.metric.localeCompare(b.metric) || order.indexOf(a.variant) - order.indexOf(b.variant));
  for (const row of rows)
    console.log(`| ${row.metric} | ${row.variant} | ${row.p50 ?? ''} | ${row.p95 ?? ''} | ${row.p99 ?? ''} | ${row.value ?? ''} |`);
}
