// Renders bench/results/*.json (DESIGN.md §6 format) as the README's Markdown tables.
// node scripts/bench-table.mjs          prints them
// node scripts/bench-table.mjs --write  replaces the block between <!-- bench:start --> and <!-- bench:end --> in README.md
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const out = [];
const log = (line) => out.push(line);

const order = [
  'peerdesk',
  'peerdesk-fast',
  'peerdesk-recording',
  'peerdesk-browser-host',
  'peerdesk-2node',
  'peerdesk-2node-unbatched',
  'peerdesk-audit-off',
  'peerdesk-audit-sqlite',
  'peerdesk-audit-postgres',
  'baseline',
  'novnc',
  'peerjs',
  'ws-floor',
  'channel-floor',
  'harness',
  'node',
  'chromium',
];
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

/** One table of figures per variant: `[key, label]` rows, a column per variant of `byVariant`. */
function stageTable(byVariant, stages) {
  const variants = Object.keys(byVariant);
  const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : (v ?? '—'));
  log(`\n| ${stages.title} | ${variants.join(' | ')} |\n| --- |${variants.map(() => ' ---: |').join('')}`);
  for (const [key, label] of stages.rows) log(`| ${label} | ${variants.map((v) => cell(byVariant[v][key])).join(' | ')} |`);
}

// Stage breakdown of the glass-to-glass run (averages per frame from getStats(); p50 splits from rVFC metadata).
const g2g = JSON.parse(readFileSync('bench/results/glass-to-glass.json', 'utf8'));
if (g2g.stage_breakdown_ms) {
  stageTable(g2g.stage_breakdown_ms, {
    title: 'glass-to-glass stage, ms',
    rows: [
      ['codec', 'codec'],
      ['flip_to_capture_ms_p50', 'screen change → frame captured (p50, rVFC)'],
      ['capture_to_received_ms_p50', 'captured → last packet received (p50, rVFC)'],
      ['received_to_shown_in_page_ms_p50', 'received → shown in the page (p50, rVFC)'],
      ['encode_ms', 'encode (avg)'],
      ['pacer_send_delay_ms', 'pacer send delay (avg per packet)'],
      ['assembly_ms', 'frame assembly, first → last packet (avg)'],
      ['jitter_buffer_ms', 'jitter buffer (avg)'],
      ['decode_ms', 'decode (avg)'],
    ],
  });
  stageTable(g2g.stage_breakdown_ms, {
    title: 'time to first frame, ms (p50)',
    rows: [
      ['ttff_join_to_prompt_ms_p50', 'viewer submits → host prompt shown'],
      ['ttff_join_to_request_ms_p50', '… of which: viewer submits → the host hears the request (signaling)'],
      ['ttff_request_to_prompt_ms_p50', '… the host hears the request → prompt shown'],
      ['ttff_allow_to_capture_call_ms_p50', 'Allow → capture asked for (the pick reaches main)'],
      ['ttff_capture_call_to_capture_ms_p50', 'capture asked for → capture started (Chromium)'],
      ['ttff_allow_to_host_peer_ms_p50', 'Allow → host peer connection made (negative: made before Allow)'],
      ['ttff_allow_to_connected_ms_p50', 'Allow → viewer connected (signaling, ICE, DTLS)'],
      ['ttff_allow_to_track_attached_ms_p50', 'Allow → captured track on the sender'],
      ['ttff_track_attached_to_first_frame_ms_p50', 'track on the sender → first frame shown (encoder start, first keyframe)'],
      ['ttff_track_attached_to_source_frame_ms_p50', '… of which: track on the sender → first captured frame reaches it'],
      ['ttff_source_frame_to_frame_sent_ms_p50', '… first captured frame → first encoded frame sent (encoder start, keyframe)'],
      ['ttff_allow_to_first_frame_ms_p50', 'Allow → first frame shown'],
    ],
  });
}

// Where each signaling server's memory sits after sustained relay and after the overload ladder (KiB per connection).
const signaling = JSON.parse(readFileSync('bench/results/signaling.json', 'utf8'));
const memoryRows = [
  ['rss', 'RSS (what the machine pays)'],
  ['young_generation', 'V8 young generation'],
  ['rest_of_heap', 'V8 old generation and the rest of the heap'],
  ['buffers_outside_heap', 'buffers outside the V8 heap'],
  ['other', 'the rest (malloc, stacks)'],
];
for (const [key, title] of [
  [
    'mem_breakdown_kib_per_conn',
    `memory growth after sustained relay (${signaling.params.mem_after_relay?.match(/\d+ s of relay at [\d,]+\/s/)?.[0] ?? 'relay'}), KiB per connection`,
  ],
  ['mem_breakdown_after_overload_kib_per_conn', 'memory growth after the overload ladder, KiB per connection'],
])
  if (signaling[key]) stageTable(signaling[key], { title, rows: memoryRows });

// Where each variant's input spends its time, hop by hop (stamps in the host page and the host services).
const input = JSON.parse(readFileSync('bench/results/input-latency.json', 'utf8'));
for (const [variant, byKind] of Object.entries(input.hop_breakdown_ms ?? {})) {
  const columns = {};
  for (const kind of ['move', 'key'])
    for (const p of ['p50', 'p95', 'p99'])
      columns[`${kind} ${p}`] = Object.fromEntries(Object.entries(byKind[kind]).map(([hop, d]) => [hop, d[p]]));
  stageTable(columns, { title: `${variant === 'peerdesk' ? 'PeerDesk' : variant} input hop, ms`, rows: Object.entries(input.params.hops) });
}

// What WebRTC reported during the flips of each constrained-network run.
for (const file of readdirSync('bench/results')
  .filter((f) => /^glass-lossy-.*\.json$/.test(f))
  .sort()) {
  const r = JSON.parse(readFileSync(`bench/results/${file}`, 'utf8'));
  if (!r.link || !Object.keys(r.link).length) continue;
  stageTable(r.link, {
    title: `${r.params.rate_mbit} Mbit/s, ${r.params.loss_pct} % loss: during the flips`,
    rows: [
      ['codec', 'codec'],
      ['kbps', 'received, kbit/s'],
      ['assembly_ms', 'frame assembly, first → last packet (avg ms)'],
      ['jitter_buffer_ms', 'jitter buffer (avg ms)'],
      ['nacks', 'NACKs sent'],
      ['retransmitted_packets', 'packets retransmitted'],
      ['packets_lost', 'packets lost'],
    ],
  });
  // Where the busy screen's freezes come from: what the encoder made of its target.
  if (r.link_while_busy && Object.keys(r.link_while_busy).length)
    stageTable(r.link_while_busy, {
      title: `${r.params.rate_mbit} Mbit/s, ${r.params.loss_pct} % loss: while the screen is busy`,
      rows: [
        ['frame', 'frame size sent'],
        ['encoded_fps', 'frames encoded per second'],
        ['target_kbps', 'encoder target at the end, kbit/s'],
        ['kbps', 'received, kbit/s'],
        ['kib_per_frame', 'KiB per frame (avg)'],
        ['huge_frames', 'frames over 2.5× the average'],
        ['quality_limitation', 'limitation the encoder reports'],
      ],
    });
}

const text = out.join('\n');
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const next = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${text}\n\n<!-- bench:end -->`);
  writeFileSync('README.md', next);
} else console.log(text);
