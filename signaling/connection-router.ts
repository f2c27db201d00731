import type { ServerMessage } from '../protocol/signaling-messages';
import type { ClientConnection } from './client-connection';
import type { PeerRoute } from './peer-route';

export type { PeerRoute };

/**
 * Acts on connections by id, wherever they live. Session records name connections by id only; with one node every
 * id is local, with several (Redis) an id on another node is reached over pub/sub. Actions on a connection that is
 * gone do nothing: its node already told the store.
 */
export interface ConnectionRouter {
  send(id: string, message: ServerMessage): void;
  /** Relayed signals from `id` go to `peerId` from now on. */
  pair(id: string, peerId: string): void;
  unpair(id: string): void;
  /** The connection no longer belongs to a session (its socket stays open). */
  unbind(id: string): void;
  /** Closes a connection a resume replaced (a half-open socket the server had not noticed yet). */
  close(id: string, reason: string): void;
  /** Whether the connection may still be open: false once it closed here, or its node stopped reporting. */
  alive(id: string): Promise<boolean>;
}

/** The connections this process holds; the base of both routers. */
export class LocalConnections {
  readonly byId = new Map<string, ClientConnection>();

  /** Applies an action to a local connection; false when the id is not here. */
  apply(id: string, act: (conn: ClientConnection) => void): boolean {
    const conn = this.byId.get(id);
    if (conn) act(conn);
    return Boolean(conn);
  }
}

/** One node: every connection is local. */
export class LocalRouter implements ConnectionRouter {
  constructor(private readonly local: LocalConnections) {}

  send(id: string, message: ServerMessage): void {
    this.local.apply(id, (c) => c.send(message));
  }

  pair(id: string, peerId: string): void {
    const peer = this.local.byId.get(peerId);
    this.local.apply(id, (c) => {
      c.peer = peer;
      c.peerAway = false;
    });
  }

  unpair(id: string): void {
    this.local.apply(id, (c) => {
      c.peer = undefined;
      c.peerAway = true;
    });
  }

  unbind(id: string): void {
    this.local.apply(id, (c) => c.unbind());
  }

  close(id: string, reason: string): void {
    this.local.apply(id, (c) => {
      c.unbind();
      c.socket.close(4000, reason);
    });
  }

  async alive(id: string): Promise<boolean> {
    return this.local.byId.has(id);
  }
}
