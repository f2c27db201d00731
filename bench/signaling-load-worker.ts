/**
 * One load-generator process of the signaling benchmark. Holds N host/viewer pairs,
 * joins them in bursts, then relays ~400-byte signals at a given rate and reports
 * latencies. Protocols: PeerDesk (open → join → allow) and PeerJS (connect → OPEN, OFFER to dst).
 */
import { WebSocket } from 'ws';

type Kind = 'peerdesk' | 'peerjs';
interface Pair {
  host: WebSocket;
  viewer: WebSocket;
}
type Command =
  | { cmd: 'join'; kind: Kind; url: string; pairs: number; burst: number; idOffset: number }
  | { cmd: 'relay'; rate: number; seconds: number }
  | { cmd: 'close' };

const now = () => performance.timeOrigin + performance.now();
const PAD = 'x'.repeat(330);
let kind: Kind = 'peerdesk';
const pairs: Pair[] = [];
let relaySamples: number[] = [];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (raw: Buffer) => {
      const m = JSON.parse(String(raw));
      if (m.type !== type) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

/** Receives relayed signals: the payload carries the send time. */
function listenForSignals(ws: WebSocket): void {
  ws.on('message', (raw: Buffer) => {
    const text = String(raw);
    const i = text.indexOf('t0=');
    if (i < 0) return;
    relaySamples.push(now() - Number(text.slice(i + 3, text.indexOf(';', i))));
  });
}

async function joinPeerDesk(url: string): Promise<{ pair: Pair; ms: number }> {
  const host = await open(url);
  const opened = nextMessage(host, 'host.opened');
  host.send(JSON.stringify({ type: 'host.open', v: 1 }));
  const { code, pin } = (await opened) as { code: string; pin: string };
  const viewer = await open(url);
  const t0 = now();
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
    const ws = new WebSocket(`${base}/peerjs?key=peerjs&id=${peerId}&token=t${peerId}`, { perMessageDeflate: false });
    await nextMessage(ws, 'OPEN');
    return { ws, ms: now() - t0 };
  };
  const [h, v] = await Promise.all([connect(`h${id}`), connect(`v${id}`)]);
  return { pair: { host: h.ws, viewer: v.ws }, ms: Math.max(h.ms, v.ms) };
}

function signalFrame(index: number, toViewer: boolean): string {
  const body = `v=0\\r\\no=- ${index} 2 IN IP4 127.0.0.1\\r\\nt0=${now()};${PAD}`;
  if (kind === 'peerdesk') return `{"type":"signal","data":{"type":"offer","sdp":"${body}"}}`;
  const dst = toViewer ? `v${index}` : `h${index}`;
  return `{"type":"OFFER","dst":"${dst}","payload":{"sdp":"${body}"}}`;
}

async function handle(c: Command): Promise<unknown> {
  if (c.cmd === 'join') {
    kind = c.kind;
    const joins: number[] = [];
    for (let start = 0; start < c.pairs; start += c.burst) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(c.burst, c.pairs - start) }, (_, i) =>
          c.kind === 'peerdesk' ? joinPeerDesk(c.url) : joinPeerJs(c.url, c.idOffset + start + i),
        ),
      );
      for (const { pair, ms } of batch) {
        pairs.push(pair);
        joins.push(ms);
        listenForSignals(pair.host);
        listenForSignals(pair.viewer);
      }
    }
    return { joins };
  }
  if (c.cmd === 'relay') {
    relaySamples = [];
    const perTick = (c.rate / 1000) * 5; // one tick every 5 ms
    let credit = 0;
    let sent = 0;
    let i = 0;
    const end = now() + c.seconds * 1000;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (now() >= end) {
          clearInterval(timer);
          return resolve();
        }
        credit += perTick;
        for (; credit >= 1; credit--, sent++, i++) {
          const p = pairs[i % pairs.length];
          const toViewer = i % 2 === 0;
          (toViewer ? p.host : p.viewer).send(signalFrame(i % pairs.length, toViewer));
        }
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 500)); // let the last signals arrive
    return { samples: relaySamples, sent, received: relaySamples.length };
  }
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
