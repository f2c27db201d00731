/**
 * The help-queue benchmark's probe, a process of its own outside every server: it holds the waiting people (hosts
 * with an open session and a request in the queue) and the open consoles (technicians signed in with the sign-in
 * cookie the server's own sealer makes, then `queue.watch`), and times each measured request from the moment its
 * host sends `help.request` to the moment the LAST console has its `queue.added` — then cancels it, timed the same
 * way to the last `queue.removed`. One clock (this process's) for both ends.
 */
import { WebSocket } from 'ws';
import { CookieSealer } from '../signaling/auth/sealed-cookie';

interface Node {
  httpUrl: string;
  wsUrl: string;
}
type Command =
  | { cmd: 'setup'; nodes: Node[]; secret: string; consoles: number; waiting: number }
  /** Opens the measured requests' people beforehand, so the timed window (and its CPU) holds queue updates only. */
  | { cmd: 'prepare'; samples: number }
  | { cmd: 'measure' }
  | { cmd: 'close' };

const sockets: WebSocket[] = [];
let nodes: Node[] = [];
let consoleCount = 0;
let prepared: WebSocket[] = [];
let measuredSoFar = 0;
/** The measured request in flight: which marker the consoles look for, and how many of them have seen it. */
let inFlight: { marker: Buffer; seen: number; done: () => void } | undefined;

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers, perMessageDeflate: false });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The next message of this type (parsed; setup only, never on the timed path). */
function next(ws: WebSocket, type: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} in ${timeoutMs} ms`)), timeoutMs);
    const on = (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      if (m.type === 'error') return reject(new Error(`server refused: ${JSON.stringify(m)}`));
      if (m.type !== type) return;
      clearTimeout(timer);
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

/** A technician's sign-in cookie for this node, sealed as the server seals it after the provider's login. */
async function cookieFor(node: Node, sealer: CookieSealer, i: number): Promise<string> {
  const me = (await (await fetch(`${node.httpUrl}/auth/me`)).json()) as { issuer: string };
  const email = `tech${i}@example.com`;
  const session = { sub: email, name: `Tech ${i}`, email, org: 'Example IT', issuer: me.issuer, admin: false };
  return `peerdesk-session=${await sealer.seal(session, 'session', Math.floor(Date.now() / 1000) + 3600)}`;
}

/** A person with an open session (not yet asking). */
async function openHost(node: Node): Promise<WebSocket> {
  const host = await connect(node.wsUrl);
  const opened = next(host, 'host.opened');
  host.send(JSON.stringify({ type: 'host.open', v: 1 }));
  await opened;
  return host;
}

function ask(host: WebSocket, name: string): Promise<Record<string, unknown>> {
  const queued = next(host, 'help.queued');
  host.send(
    JSON.stringify({
      type: 'help.request',
      name,
      description: 'Outlook keeps asking for my password',
      os: 'Linux',
      app: 'PeerDesk desktop',
    }),
  );
  return queued;
}

/** The consoles' one listener on the timed path: a byte search for the marker, no JSON decoding. */
function onConsoleFrame(raw: Buffer): void {
  if (!inFlight || raw.indexOf(inFlight.marker) < 0) return;
  if (++inFlight.seen === consoleCount) inFlight.done();
}

async function setup(c: Extract<Command, { cmd: 'setup' }>): Promise<void> {
  nodes = c.nodes;
  // People first, in batches (their requests are the 1,000 waiting), each on the nodes in turn.
  for (let i = 0; i < c.waiting; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, c.waiting - i) }, async (_, j) =>
        ask(await openHost(nodes[(i + j) % nodes.length]), `Waiting ${i + j}`),
      ),
    );
  const sealer = new CookieSealer(c.secret);
  for (let i = 0; i < c.consoles; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, c.consoles - i) }, async (_, j) => {
        const node = nodes[(i + j) % nodes.length];
        const ws = await connect(node.wsUrl, { cookie: await cookieFor(node, sealer, i + j) });
        const snapshot = next(ws, 'queue.snapshot', 60_000);
        ws.send(JSON.stringify({ type: 'queue.watch' }));
        const { requests } = (await snapshot) as { requests: unknown[] };
        if (requests.length < c.waiting) throw new Error(`a console saw ${requests.length} of ${c.waiting} waiting requests`);
        ws.on('message', onConsoleFrame);
      }),
    );
  consoleCount = c.consoles;
}

/** Resolves with ms from `send` until every console has a frame carrying the marker. */
function timed(marker: string, send: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not every console saw ${marker} within 30 s`)), 30_000);
    const t0 = performance.now();
    inFlight = {
      marker: Buffer.from(marker),
      seen: 0,
      done: () => {
        const ms = performance.now() - t0;
        clearTimeout(timer);
        inFlight = undefined;
        resolve(ms);
      },
    };
    send();
  });
}

async function prepare(samples: number): Promise<void> {
  prepared = [];
  for (let k = 0; k < samples; k += 50)
    prepared.push(
      ...(await Promise.all(Array.from({ length: Math.min(50, samples - k) }, (_, j) => openHost(nodes[(k + j) % nodes.length])))),
    );
}

async function measure(): Promise<{ visible: number[]; removed: number[] }> {
  const visible: number[] = [];
  const removed: number[] = [];
  for (const host of prepared) {
    const name = `Measured ${++measuredSoFar} of the run`;
    let queued: Promise<Record<string, unknown>> | undefined;
    visible.push(await timed(`"name":"${name}"`, () => void (queued = ask(host, name))));
    const { requestId } = (await queued!) as { requestId: string };
    removed.push(await timed(`"queue.removed","requestId":"${requestId}"`, () => host.send(JSON.stringify({ type: 'help.cancel' }))));
  }
  return { visible, removed };
}

process.on('message', (c: Command) => {
  const reply = (p: Promise<unknown>) =>
    p.then(
      (r) => process.send?.({ ok: true, ...(r as object) }),
      (err: Error) => process.send?.({ ok: false, error: err.message }),
    );
  if (c.cmd === 'setup') return void reply(setup(c));
  if (c.cmd === 'prepare') return void reply(prepare(c.samples));
  if (c.cmd === 'measure') return void reply(measure());
  sockets.forEach((ws) => ws.terminate());
  process.send?.({ ok: true });
});
