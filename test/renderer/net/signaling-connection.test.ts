import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { ClientErrorCode, SignalingErrorCode } from '../../../protocol/error-codes';
import { ERROR_MESSAGES } from '../../../protocol/error-messages';
import type { ClientMessage } from '../../../protocol/signaling-messages';
import { SignalingConnection, type SignalingStatus } from '../../../renderer/net/signaling-connection';

/**
 * The page's signaling client without a page: the `ws` package's client stands in for the browser's WebSocket (same
 * addEventListener API), against a scripted `ws` server on 127.0.0.1 that says exactly what each case needs — frames
 * the real server never sends (malformed, another protocol version, a 4000 close). Against the real server:
 * signaling-routing.test.ts and the e2e suites.
 */

const CODE = '123456789';
const TOKEN = 'A'.repeat(43);
let wss: WebSocketServer;
let url: string;
/** Each socket the server accepted, in order, with what it received. */
let accepted: {
  socket: ServerSocket;
  path: string;
  received: ClientMessage[];
  message: (type: string) => Promise<ClientMessage>;
}[];
let onConnection: (socket: ServerSocket) => void;
const connections: SignalingConnection[] = [];
const realWebSocket = globalThis.WebSocket;

beforeAll(async () => {
  globalThis.WebSocket = NodeWebSocket as unknown as typeof WebSocket;
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
  wss.on('connection', (socket, request) => {
    const received: ClientMessage[] = [];
    const waiting: Array<[string, (m: ClientMessage) => void]> = [];
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as ClientMessage;
      received.push(m);
      for (const [i, [type, resolve]] of waiting.entries())
        if (type === m.type) {
          waiting.splice(i, 1);
          resolve(m);
          break;
        }
    });
    const message = (type: string) =>
      new Promise<ClientMessage>((resolve) => {
        const seen = received.find((m) => m.type === type);
        if (seen) resolve(seen);
        else waiting.push([type, resolve]);
      });
    accepted.push({ socket, path: request.url ?? '', received, message });
    onConnection(socket);
  });
});
afterEach(() => connections.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  globalThis.WebSocket = realWebSocket;
  await new Promise((resolve) => wss.close(resolve));
});

function script(onOpen: (socket: ServerSocket, index: number) => void) {
  accepted = [];
  onConnection = (socket) => onOpen(socket, accepted.length - 1);
}
const say = (socket: ServerSocket, m: object | string) => socket.send(typeof m === 'string' ? m : JSON.stringify(m));
const hello = (socket: ServerSocket) => say(socket, { type: 'hello', v: 1 });
function connect(): SignalingConnection {
  const conn = new SignalingConnection(url);
  connections.push(conn);
  return conn;
}
const closed = (conn: SignalingConnection) => new Promise<string>((resolve) => (conn.onClose = resolve));
const signal = (n: number): ClientMessage => ({ type: 'signal', data: { type: 'offer', sdp: `v=${n}` } });

describe('SignalingConnection: what the server says is checked', () => {
  it('a frame that is no JSON or fails the schema reaches no handler; the next good one does', async () => {
    script((socket) => {
      say(socket, 'not json');
      say(socket, { type: 'hello', v: '1' });
      say(socket, { type: 'launch.missiles' });
      hello(socket);
      say(socket, { type: 'join.pending' });
    });
    const conn = connect();
    const seen: string[] = [];
    const pending = new Promise<void>((resolve) =>
      conn.on((m) => {
        seen.push(m.type);
        if (m.type === 'join.pending') resolve();
      }),
    );
    await conn.ready;
    await pending;
    expect(seen).toEqual(['hello', 'join.pending']);
  });

  it('a server of another protocol version is refused with the version message', async () => {
    script((socket) => say(socket, { type: 'hello', v: 2 }));
    await expect(connect().ready).rejects.toThrow(ERROR_MESSAGES[ClientErrorCode.ProtocolVersion]);
  });

  it('a server that cannot be reached rejects ready', async () => {
    const conn = new SignalingConnection('ws://127.0.0.1:1/ws');
    await expect(conn.ready).rejects.toThrow('Could not reach the PeerDesk server.');
  });
});

describe('SignalingConnection: signals wait for the other side', () => {
  it('held until the other side is admitted, then sent in order; beyond 256 the oldest are dropped', async () => {
    script(hello);
    const conn = connect();
    await conn.ready;
    for (let n = 0; n < 300; n++) conn.send(signal(n));
    conn.send({ type: 'host.open', v: 1 }); // not a signal: goes at once
    await accepted[0]!.message('host.open');
    expect(accepted[0]!.received.filter((m) => m.type === 'signal')).toEqual([]);
    const admitted = new Promise<void>((resolve) => conn.on((m) => m.type === 'peer.admitted' && resolve()));
    say(accepted[0]!.socket, { type: 'peer.admitted', requestId: 'request-1', name: 'Ann', iceServers: [] });
    await admitted;
    conn.send(signal(300));
    await accepted[0]!.message('signal');
    await expect.poll(() => accepted[0]!.received.filter((m) => m.type === 'signal').length).toBe(257);
    const sent = accepted[0]!.received.filter((m) => m.type === 'signal');
    expect(sent[0]).toEqual(signal(44));
    expect(sent.at(-1)).toEqual(signal(300));
  });

  it('held again while the other side is away, and forgotten on request', async () => {
    script(hello);
    const conn = connect();
    await conn.ready;
    say(accepted[0]!.socket, { type: 'join.accepted', iceServers: [] });
    await new Promise<void>((resolve) => conn.on((m) => m.type === 'join.accepted' && resolve()));
    conn.send(signal(1));
    await accepted[0]!.message('signal');
    say(accepted[0]!.socket, { type: 'peer.away', graceMs: 1000 });
    await new Promise<void>((resolve) => conn.on((m) => m.type === 'peer.away' && resolve()));
    conn.send(signal(2));
    conn.dropQueuedSignals();
    conn.send(signal(3));
    say(accepted[0]!.socket, { type: 'peer.back', renew: false, iceServers: [] });
    await expect.poll(() => accepted[0]!.received.filter((m) => m.type === 'signal').length).toBe(2);
    expect(accepted[0]!.received.filter((m) => m.type === 'signal')).toEqual([signal(1), signal(3)]);
  });
});

describe('SignalingConnection: a dropped socket', () => {
  it('with a resume token: reconnecting, a resume with that token, online again, and held signals flushed', async () => {
    script((socket, index) => {
      hello(socket);
      if (index === 0) {
        say(socket, { type: 'join.accepted', iceServers: [] });
        say(socket, { type: 'resume.token', code: CODE, token: TOKEN, graceMs: 60_000 });
      }
    });
    const conn = connect();
    const statuses: SignalingStatus[] = [];
    conn.onStatus = (s) => statuses.push(s);
    const tokened = new Promise<void>((resolve) => conn.on((m) => m.type === 'resume.token' && resolve()));
    await conn.ready;
    await tokened;
    accepted[0]!.socket.terminate();
    await expect.poll(() => conn.status).toBe('reconnecting');
    conn.send(signal(7));
    await expect.poll(() => accepted.length, { timeout: 10_000 }).toBe(2);
    const resume = await accepted[1]!.message('session.resume');
    expect(resume).toEqual({ type: 'session.resume', v: 1, code: CODE, token: TOKEN, fresh: false });
    // The route names the session's node: its code's last digit.
    expect(new URL(accepted[1]!.path, url).searchParams.get('s')).toBe(CODE.slice(-1));
    say(accepted[1]!.socket, { type: 'session.resumed', role: 'viewer', peerPresent: true, iceServers: [] });
    await accepted[1]!.message('signal');
    expect(accepted[1]!.received.filter((m) => m.type === 'signal')).toEqual([signal(7)]);
    expect(statuses).toEqual(['reconnecting', 'online']);
  });

  it('a resume the server refuses ends it: lost, with the session-gone message', async () => {
    script((socket, index) => {
      hello(socket);
      if (index === 0) say(socket, { type: 'resume.token', code: CODE, token: TOKEN, graceMs: 60_000 });
      else
        void accepted[index]!.message('session.resume').then(() =>
          say(socket, { type: 'error', code: SignalingErrorCode.ResumeFailed, message: 'no' }),
        );
    });
    const conn = connect();
    const tokened = new Promise<void>((resolve) => conn.on((m) => m.type === 'resume.token' && resolve()));
    await conn.ready;
    await tokened;
    const reason = closed(conn);
    accepted[0]!.socket.terminate();
    expect(await reason).toBe(ERROR_MESSAGES[ClientErrorCode.SessionGone]);
    expect(conn.status).toBe('lost');
  });

  it('without a token it is the end, with the server’s reason', async () => {
    script((socket) => {
      hello(socket);
      socket.close(1011, 'server restarting');
    });
    const conn = connect();
    const reason = closed(conn);
    await conn.ready;
    expect(await reason).toBe('server restarting');
    expect(conn.status).toBe('lost');
    expect(accepted).toHaveLength(1);
  });

  it('replaced by another socket of the same side (4000): the end, token or not', async () => {
    script((socket) => {
      hello(socket);
      say(socket, { type: 'resume.token', code: CODE, token: TOKEN, graceMs: 60_000 });
      void accepted[0]!.message('host.open').then(() => socket.close(4000, 'resumed elsewhere'));
    });
    const conn = connect();
    const reason = closed(conn);
    const tokened = new Promise<void>((resolve) => conn.on((m) => m.type === 'resume.token' && resolve()));
    await conn.ready;
    await tokened;
    conn.send({ type: 'host.open', v: 1 });
    expect(await reason).toBe('resumed elsewhere');
    expect(conn.status).toBe('lost');
  });

  it('closed by this side: no reconnect and no close report', async () => {
    script(hello);
    const conn = connect();
    await conn.ready;
    let reported = false;
    conn.onClose = () => (reported = true);
    conn.close();
    await new Promise((resolve) => accepted[0]!.socket.once('close', resolve));
    expect(reported).toBe(false);
    expect(conn.status).toBe('online');
  });
});
