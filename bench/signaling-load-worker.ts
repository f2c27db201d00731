/**
 * One load-generator process of the signaling benchmark. Holds N host/viewer pairs,
 * joins them in bursts, then relays ~400-byte signals at a given rate and reports
 * latencies. Protocols: PeerDesk (open → join → allow) and PeerJS (connect → OPEN, OFFER to dst).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';

type Kind = 'peerdesk' | 'peerdesk-2node' | 'peerjs' | 'ws-floor';
interface Pair {
  host: WebSocket;
  viewer: WebSocket;
}
type Command =
  | {
      cmd: 'join';
      kind: Kind;
      url: string;
      viewerUrl?: string;
      pairs: number;
      burst: number;
      idOffset: number;
      /** Pairs arriving one by one at this rate (per second) instead of in bursts. */
      spreadPerS?: number;
    }
  /** `auditEvery`: every n-th signal, the sending pair's host also sends an `audit.report` (the audit benchmark). */
  | { cmd: 'relay'; rate: number; seconds: number; auditEvery?: number }
  /** Only `audit.report` frames from the hosts, on the clock's schedule (the audit trail's write rate). */
  | { cmd: 'audit'; rate: number; seconds: number }
  | { cmd: 'close' };

const now = () => performance.timeOrigin + performance.now();
const PAD = 'x'.repeat(330);
let kind: Kind = 'peerdesk';
/** This process's pairs are numbered from here (PeerJS addresses a signal by the destination's peer id). */
let idOffset = 0;
const pairs: Pair[] = [];
let relaySamples: number[] = [];
/** The longest event-loop stall of this process during a relay step. */
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

/** A client socket; listeners can be attached before it opens (a server may greet right after the upgrade). */
const socket = (url: string) => new WebSocket(url, { perMessageDeflate: false });

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

/** The next text frame of this type, parsed. */
function nextMessage(ws: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8'));
      if (m.type !== type) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

const T0_MARK = Buffer.from('t0=');
const T0_END = ';'.charCodeAt(0);

/** Receives relayed signals: the payload carries the send time. Reads it from the bytes, without decoding the frame. */
function listenForSignals(ws: WebSocket): void {
  ws.on('message', (raw: Buffer) => {
    const i = raw.indexOf(T0_MARK);
    if (i < 0) return;
    relaySamples.push(now() - Number(raw.toString('latin1', i + 3, raw.indexOf(T0_END, i))));
  });
}

/** `viewerUrl`: another node (two-node run), so every signal crosses Redis. */
async function joinPeerDesk(url: string, viewerUrl = url): Promise<{ pair: Pair; ms: number }> {
  const host = socket(url);
  await opened(host);
  const hostOpened = nextMessage(host, 'host.opened');
  host.send(JSON.stringify({ type: 'host.open', v: 1 }));
  const { code, pin } = (await hostOpened) as { code: string; pin: string };
  // A join is what the viewer waits for: connecting, joining and the host's Allow (PeerJS's counts its connect too).
  const t0 = now();
  const viewer = socket(viewerUrl);
  await opened(viewer);
  const request = nextMessage(host, 'join.request');
  const accepted = nextMessage(viewer, 'join.accepted');
  viewer.send(JSON.stringify({ type: 'viewer.join', v: 1, code, pin, name: 'Load' }));
  const { requestId } = (await request) as { requestId: string };
  host.send(JSON.stringify({ type: 'host.decide', requestId, allow: true }));
  await accepted;
  return { pair: { host, viewer }, ms: now() - t0 };
}

async function joinPeerJs(base: string, id: number): Promise<{ pair: Pair; ms: number }> {
  const connect = async (peerId: string) => {
    const t0 = now();
    const ws = socket(`${base}/peerjs?key=peerjs&id=${peerId}&token=t${peerId}`);
    await nextMessage(ws, 'OPEN');
    return { ws, ms: now() - t0 };
  };
  const [h, v] = await Promise.all([connect(`h${id}`), connect(`v${id}`)]);
  return { pair: { host: h.ws, viewer: v.ws }, ms: Math.max(h.ms, v.ms) };
}

async function joinFloor(base: string, id: number): Promise<{ pair: Pair; ms: number }> {
  const t0 = now();
  const [host, viewer] = [socket(`${base}/?pair=${id}`), socket(`${base}/?pair=${id}`)];
  await Promise.all([nextMessage(host, 'paired'), nextMessage(viewer, 'paired')]);
  return { pair: { host, viewer }, ms: now() - t0 };
}

/** What a host reports after a file went through: one of the larger records the trail stores. */
const AUDIT_FRAME = JSON.stringify({
  type: 'audit.report',
  event: {
    type: 'file',
    action: 'completed',
    direction: 'received',
    name: 'quarterly report.pdf',
    size: 1_234_567,
    sha256: 'ab'.repeat(32),
  },
});

/** Sends `frame(n)` for n = 0, 1, … at `rate` per second for `seconds`, on the clock's schedule; returns how many. */
function onSchedule(rate: number, seconds: number, frame: (n: number) => void): Promise<number> {
  // The schedule follows the clock, not the timer's ticks: a late tick sends what fell due meanwhile,
  // so the offered rate is the rate asked for even when the event loop is busy.
  const start = now();
  const end = start + seconds * 1000;
  let sent = 0;
  return new Promise<number>((resolve) => {
    const tick = () => {
      const t = now();
      const due = Math.floor(((Math.min(t, end) - start) * rate) / 1000);
      for (; sent < due; sent++) frame(sent);
      if (t < end) setTimeout(tick, 1);
      else resolve(sent);
    };
    tick();
  });
}

function signalFrame(index: number, toViewer: boolean): string {
  const body = `v=0\\r\\no=- ${index} 2 IN IP4 127.0.0.1\\r\\nt0=${now()};${PAD}`;
  if (kind.startsWith('peerdesk')) return `{"type":"signal","data":{"type":"offer","sdp":"${body}"}}`;
  const dst = toViewer ? `v${idOffset + index}` : `h${idOffset + index}`;
  return `{"type":"OFFER","dst":"${dst}","payload":{"sdp":"${body}"}}`;
}

/** PeerJS's client library sends a HEARTBEAT every 5 s, and its server drops a client silent for 90 s. */
const PEERJS_HEARTBEAT_MS = 5000;
const HEARTBEAT_TICK_MS = 50;

function startPeerJsHeartbeats(): void {
  const sockets = pairs.flatMap((p) => [p.host, p.viewer]);
  const perTick = Math.ceil(sockets.length / (PEERJS_HEARTBEAT_MS / HEARTBEAT_TICK_MS));
  let next = 0;
  setInterval(() => {
    for (let i = 0; i < perTick; i++, next++) sockets[next % sockets.length].send('{"type":"HEARTBEAT"}');
  }, HEARTBEAT_TICK_MS).unref();
}

async function handle(c: Command): Promise<unknown> {
  if (c.cmd === 'join') {
    kind = c.kind;
    idOffset = c.idOffset;
    const joins: number[] = [];
    const joinOne = (id: number) =>
      c.kind.startsWith('peerdesk') ? joinPeerDesk(c.url, c.viewerUrl) : c.kind === 'peerjs' ? joinPeerJs(c.url, id) : joinFloor(c.url, id);
    // Spread arrivals: one pair every 1/rate s on the clock's schedule, each timed on its own.
    const spread = c.spreadPerS;
    const waves = spread
      ? [
          await Promise.all(
            Array.from(
              { length: c.pairs },
              (_, i) => new Promise<{ pair: Pair; ms: number }>((r) => setTimeout(() => r(joinOne(c.idOffset + i)), (i * 1000) / spread)),
            ),
          ),
        ]
      : [];
    for (let start = 0; !spread && start < c.pairs; start += c.burst)
      waves.push(await Promise.all(Array.from({ length: Math.min(c.burst, c.pairs - start) }, (_, i) => joinOne(c.idOffset + start + i))));
    for (const batch of waves) {
      for (const { pair, ms } of batch) {
        pairs.push(pair);
        joins.push(ms);
        listenForSignals(pair.host);
        listenForSignals(pair.viewer);
      }
    }
    if (c.kind === 'peerjs') startPeerJsHeartbeats();
    return { joins };
  }
  if (c.cmd === 'relay') {
    relaySamples = [];
    loop.reset();
    const sent = await onSchedule(c.rate, c.seconds, (n) => {
      const p = pairs[n % pairs.length];
      const toViewer = n % 2 === 0;
      (toViewer ? p.host : p.viewer).send(signalFrame(n % pairs.length, toViewer));
      if (c.auditEvery && n % c.auditEvery === 0) p.host.send(AUDIT_FRAME);
    });
    // Let the last signals arrive (a backlog drains before the next step starts), then a short rest.
    const drainUntil = now() + 3000;
    while (relaySamples.length < sent && now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 500));
    return { samples: relaySamples, sent, received: relaySamples.length, stallMs: loop.max / 1e6 };
  }
  if (c.cmd === 'audit') return { sent: await onSchedule(c.rate, c.seconds, (n) => pairs[n % pairs.length].host.send(AUDIT_FRAME)) };
  for (const p of pairs) {
    p.host.terminate();
    p.viewer.terminate();
  }
  pairs.length = 0;
  return {};
}

process.on('message', (c: Command) => {
  handle(c).then(
    (r) => process.send!({ ok: true, ...(r as object) }),
    (err: Error) => process.send!({ ok: false, error: err.message }),
  );
});
