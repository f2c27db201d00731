// Renders bench/results/*.json (DESIGN.md §6 format) as the README's Markdown tables.
// node scripts/bench-table.mjs          prints them
// node scripts/bench-table.mjs --write  replaces the block between <!-- bench:start --> and <!-- bench:end --> in README.md
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const out = [];
const log = (line) => out.push(line);

const order = ['peerdesk', 'peerdesk-2node', 'baseline', 'novnc', 'peerjs', 'ws-floor', 'channel-floor', 'harness', 'node', 'chromium'];
for (const file of readdirSync('bench/results')
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(`bench/results/${file}`, 'utf8'));
  log(`\n**${r.bench}** — ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.machine.cpus} × ${r.machine.model}\n`);
  log('| metric | variant | p50 | p95 | p99 | value |\n| --- | --- | ---: | ---: | ---: | ---: |');
  const rows = [...r.rows].sort(
    (a, b) =>
      a.metric.localeCompare(b.metric) || (a.rate_per_s ?? 0) - (b.rate_per_s ?? 0) || order.indexOf(a.variant) - order.indexOf(b.variant),
  );
  for (const row of rows)
    log(
      `| ${row.metric}${row.rate_per_s ? ` @ ${row.rate_per_s}/s` : ''} | ${row.variant} | ${row.p50 ?? ''} | ${row.p95 ?? ''} | ${row.p99 ?? ''} | ${row.value ?? ''} |`,
    );
}

// Stage breakdown of the glass-to-glass run (averages per frame from getStats(); p50 splits from rVFC metadata).
const g2g = JSON.parse(readFileSync('bench/results/glass-to-glass.json', 'utf8'));
if (g2g.stage_breakdown_ms) {
  const stages = [
    ['flip_to_capture_ms_p50', 'screen change → frame captured (p50)'],
    ['capture_to_received_ms_p50', 'captured → last packet received (p50)'],
    ['received_to_shown_ms_p50', 'received → shown (p50)'],
    ['encode_ms', 'encode (avg)'],
    ['pacer_send_delay_ms', 'pacer send delay (avg per packet)'],
    ['assembly_ms', 'frame assembly, first → last packet (avg)'],
    ['jitter_buffer_ms', 'jitter buffer (avg)'],
    ['decode_ms', 'decode (avg)'],
  ];
  const variants = Object.keys(g2g.stage_breakdown_ms);
  log(`\n| stage, ms | ${variants.join(' | ')} |\n| --- |${variants.map(() => ' ---: |').join('')}`);
  for (const [key, label] of stages) {
    log(
      `| ${label} | ${variants.map((v) => (typeof g2g.stage_breakdown_ms[v][key] === 'number' ? g2g.stage_breakdown_ms[v][key].toFixed(1) : '—')).join(' | ')} |`,
    );
  }
}

const text = out.join('\n');
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const next = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${text}\n\n<!-- bench:end -->`);
  writeFileSync('README.md', next);
} else console.log(text);
