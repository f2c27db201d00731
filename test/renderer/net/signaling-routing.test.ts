import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { SignalingConnection } from '../../../renderer/net/signaling-connection';
import type { ServerMessage } from '../../../protocol/signaling-messages';
import { SignalingProcess } from '../../support/signaling-process';

/**
 * The app's signaling client against a real server: every socket's URL carries the session it is for (`s`), which
 * the shipped nginx config routes by (test/deploy/nginx-config.test.ts), and the server opens a host's session under
 * a code ending in the host's routing digit.
 */
let server: SignalingProcess;
const sockets: { url: string; ws: NodeWebSocket }[] = [];
const realWebSocket = globalThis.WebSocket;

beforeAll(async () => {
  server = await SignalingProcess.start();
  // The page's WebSocket, recorded: the `ws` package's client has the same addEventListener API.
  globalThis.WebSocket = class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { headers: { Origin: server.url } });
      sockets.push({ url, ws: this });
    }
  } as unknown as typeof WebSocket;
});
afterAll(async () => {
  globalThis.WebSocket = realWebSocket;
  await server.close();
});

const next = (conn: SignalingConnection, type: ServerMessage['type']) =>
  new Promise<ServerMessage>((resolve) => {
    const off = conn.on((m) => {
      if (m.type !== type) return;
      off();
      resolve(m);
    });
  });

describe('signaling sockets carry their session for the proxy', () => {
  it("a host's first socket carries one digit its code then ends in; its reconnect and the viewer's socket carry the code's last digit, never the whole code", async () => {
    const host = new SignalingConnection(server.wsUrl);
    await host.ready;
    const first = new URL(sockets.at(-1)!.url).searchParams.get('s')!;
    expect(first).toMatch(/^[0-9]$/);
    const opened = next(host, 'host.opened');
    const token = next(host, 'resume.token');
    host.send({ type: 'host.open', v: 1 });
    const { code, pin } = (await opened) as Extract<ServerMessage, { type: 'host.opened' }>;
    expect(code.endsWith(first)).toBe(true);
    await token;

    // The socket drops: the reconnect (a resume) names the session.
    const resumed = next(host, 'resume.token');
    sockets.at(-1)!.ws.terminate();
    await resumed;
    expect(new URL(sockets.at(-1)!.url).searchParams.get('s')).toBe(code.slice(-1));

    const viewer = new SignalingConnection(server.wsUrl, undefined, code);
    await viewer.ready;
    expect(new URL(sockets.at(-1)!.url).searchParams.get('s')).toBe(code.slice(-1));
    const pending = next(viewer, 'join.pending');
    viewer.send({ type: 'viewer.join', v: 1, code, pin, name: 'Routed' });
    await pending;
    host.close();
    viewer.close();
  });
});
