import { WebSocket } from 'ws';
import { serverMessageSchema, type ServerMessage, type ServerMessageOf } from '../../protocol/signaling-messages';

/**
 * A real `ws` client that records every server message and lets a test await
 * the next one of a given type. Messages are validated with the protocol schema,
 * so a server that sends malformed frames fails the test.
 */
export class TestClient {
  readonly received: ServerMessage[] = [];
  private waiters: Array<{ type: string; resolve: (m: ServerMessage) => void }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = serverMessageSchema.parse(JSON.parse(String(data)));
      const i = this.waiters.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
      else this.received.push(msg);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async connect(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    await client.next('hello');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Resolves with the next (or an already queued) message of `type`; rejects after `timeoutMs`. */
  next<T extends ServerMessage['type']>(type: T, timeoutMs = 5000): Promise<ServerMessageOf<T>> {
    const i = this.received.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0] as ServerMessageOf<T>);
    return new Promise((resolve, reject) => {
      const waiter = { type, resolve: resolve as (m: ServerMessage) => void };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`));
      }, timeoutMs).unref();
    });
  }

  /** True if no message of `type` arrives within `ms` (used to prove something did NOT happen). */
  async nothing(type: ServerMessage['type'], ms = 300): Promise<boolean> {
    try {
      await this.next(type, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Resolves after the server has pinged this client `n` more times: time passing, measured by the server's own clock. */
  pings(n: number): Promise<void> {
    return new Promise((resolve) => {
      let left = n;
      const onPing = () => {
        if (--left > 0) return;
        this.ws.off('ping', onPing);
        resolve();
      };
      this.ws.on('ping', onPing);
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Opens a session as host and admits one viewer; returns both ends, paired. */
export async function pairedSession(wsUrl: string, name = 'Tech Tina') {
  const host = await TestClient.connect(wsUrl);
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');
  const viewer = await TestClient.connect(wsUrl);
  viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name });
  await viewer.next('join.pending');
  const request = await host.next('join.request');
  host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  const accepted = await viewer.next('join.accepted');
  const admitted = await host.next('peer.admitted');
  return { host, viewer, opened, request, accepted, admitted };
}
