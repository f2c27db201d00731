/**
 * A deliberately minimal WebSocket client for the signaling load generators — not for the product.
 *
 * The load generators share this machine's two cores with the server they measure, so every microsecond they
 * spend is taken from it. This client does only what a load generator needs: the RFC 6455 opening handshake
 * through Node's HTTP client, text frames out (masked with an all-zero key — valid framing; the server unmasks it
 * like any other), text frames in as raw bytes, pings answered, close. No fragmentation, no extensions, no TLS.
 * The product and the tests use `ws`.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export class LightWebSocket {
  private pending: Buffer = Buffer.alloc(0);
  private readonly listeners = new Set<(text: Buffer) => void>();
  /** Text frames that came before anyone listened (a server may greet right after the upgrade). */
  private early: Buffer[] | undefined = [];

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  /** Opens a connection to a ws:// URL; resolves once the server accepted the upgrade. */
  static connect(url: string): Promise<LightWebSocket> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent: false,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        },
      });
      req.once('upgrade', (_res, socket: Socket, head: Buffer) => {
        const ws = new LightWebSocket(socket);
        if (head.length) ws.receive(head);
        resolve(ws);
      });
      req.once('response', (res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      req.once('error', reject);
      req.end();
    });
  }

  /** Text frames, as raw UTF-8 bytes (decode only what you need). */
  onText(listener: (text: Buffer) => void): () => void {
    this.listeners.add(listener);
    const early = this.early;
    this.early = undefined;
    // After the caller has the unsubscribe function in hand; no socket data can come in before a microtask runs.
    if (early?.length) queueMicrotask(() => early.forEach((text) => listener(text)));
    return () => this.listeners.delete(listener);
  }

  sendText(text: string): void {
    this.socket.write(frame(OP_TEXT, Buffer.from(text)));
  }

  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const header = readHeader(data);
      if (!header || data.length < header.offset + header.length) break;
      const payload = data.subarray(header.offset, header.offset + header.length);
      if (header.opcode === OP_TEXT) {
        if (this.early) this.early.push(payload);
        else for (const listener of this.listeners) listener(payload);
      } else if (header.opcode === OP_PING) this.socket.write(frame(OP_PONG, payload));
      else if (header.opcode === OP_CLOSE) this.socket.end();
      data = data.subarray(header.offset + header.length);
    }
    this.pending = data;
  }
}

/** Server frames are never masked (RFC 6455 §5.1). */
function readHeader(data: Buffer): { opcode: number; offset: number; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0] & 0x0f;
  const short = data[1] & 0x7f;
  if (short < 126) return { opcode, offset: 2, length: short };
  if (short === 126) return data.length < 4 ? undefined : { opcode, offset: 4, length: data.readUInt16BE(2) };
  return data.length < 10 ? undefined : { opcode, offset: 10, length: Number(data.readBigUInt64BE(2)) };
}

/** One final, client-masked frame. The zero mask key leaves the payload bytes as they are. */
function frame(opcode: number, payload: Buffer): Buffer {
  const extended = payload.length < 126 ? 0 : payload.length < 65536 ? 2 : 8;
  const out = Buffer.alloc(2 + extended + 4 + payload.length);
  out[0] = 0x80 | opcode;
  if (extended === 0) out[1] = 0x80 | payload.length;
  else if (extended === 2) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(payload.length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  payload.copy(out, 2 + extended + 4);
  return out;
}
