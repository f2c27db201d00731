import type { WebSocket } from 'ws';
import type { ServerMessage, VerifiedIdentity } from '../protocol/signaling-messages';
import { TokenBucket } from '../common/token-bucket';
import type { PeerRoute } from './peer-route';

/** `console`: a signed-in technician's connection watching the support queue (queue/). */
export type Role = 'none' | 'host' | 'viewer' | 'console';

/** Per-socket state. Sessions refer to connections only by `id`. */
export class ClientConnection implements PeerRoute {
  role: Role = 'none';
  code?: string;
  /** The admitted counterpart; only set while a host and a viewer are paired. */
  peer?: PeerRoute;
  /** Paired once, and the other side is away now (resuming): its signals are dropped, not refused. */
  peerAway = false;
  rejected = 0;
  /** The technician this socket's sign-in cookie verified at upgrade; never anything a client frame said; recorded with its join attempts. */
  identity?: VerifiedIdentity;
  alive = true;
  readonly openedAt = Date.now();
  /** Since when this connection belongs to no session (epoch ms); idle connections are closed after a while. */
  unboundSince = this.openedAt;
  readonly bucket: TokenBucket;
  /** The last digit of the `s` the socket's URL carried: a session this host opens gets a code ending in it. */
  codeEnding?: string;

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

  /** Sends an already validated text frame as it came (relay: no re-serialization or re-encoding on the hot path). */
  forward(bytes: Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(bytes, { binary: false });
  }

  unbind(): void {
    this.role = 'none';
    this.unboundSince = Date.now();
    this.code = undefined;
    this.peer = undefined;
    this.peerAway = false;
  }
}
