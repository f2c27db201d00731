import type { ServerMessage } from '../protocol/signaling-messages';

/** Whatever a relayed frame can be handed to: a socket on this node, or one on another node. */
export interface PeerRoute {
  readonly id: string;
  send(message: ServerMessage): void;
  forward(bytes: Buffer): void;
}
