import type { WebSocket } from 'ws';
import type { ServerMessage } from '../protocol/signaling-messages';
import { TokenBucket } from './token-bucket';

export type Role = 'none' | 'host' | 'viewer';

/** Per-socket state. Sessions refer to connections only by `id`. */
export class ClientConnection {
  role: Role = 'none';
  code?: string;
  /** The admitted counterpart; only set while a host and a viewer are paired. */
  peer?: ClientConnection;
  rejected = 0;
  alive = true;
  /** When the next heartbeat ping is due (epoch ms). */
  nextPingAt = 0;
  readonly openedAt = Date.now();
  readonly bucket: TokenBucket;

  constructor(
    readonly id: string,
    readonly address: string,
    readonly socket: WebSocket,
    rate: number,
    burst: number,
  ) {
    this.bucket = new TokenBucket(rate, burst);
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Sends an already validated frame as it came (relay: no re-serialization on the hot path). */
  sendText(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }

  unbind(): void {
    this.role = 'none';
    this.code = undefined;
    this.peer = undefined;
  }
}
