import { PROTOCOL_VERSION } from '../../protocol/limits';
import { type ClientMessage, type ServerMessage, serverMessageSchema } from '../../protocol/signaling-messages';

type Handler = (message: ServerMessage) => void;

/**
 * The renderer's side of the signaling WebSocket. Server frames are validated
 * with the protocol schema like any other network input; a malformed one is
 * reported, never acted on.
 */
export class SignalingConnection {
  private readonly ws: WebSocket;
  private readonly handlers = new Set<Handler>();
  readonly ready: Promise<void>;
  closedReason?: string;
  onClose?: (reason: string) => void;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.ws.addEventListener('error', () => reject(new Error('Could not reach the PeerDesk server.')), { once: true });
      this.handlers.add(function onHello(m) {
        if (m.type !== 'hello') return;
        if (m.v !== PROTOCOL_VERSION) reject(new Error('This PeerDesk server speaks another protocol version.'));
        else resolve();
      });
    });
    this.ws.addEventListener('message', (e) => {
      let parsed;
      try {
        parsed = serverMessageSchema.safeParse(JSON.parse(String(e.data)));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return console.warn('ignored a malformed signaling frame');
      for (const h of [...this.handlers]) h(parsed.data);
    });
    this.ws.addEventListener('close', (e) => {
      this.closedReason = e.reason || `closed (${e.code})`;
      this.onClose?.(this.closedReason);
    });
  }

  static defaultUrl(): string {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  }

  on(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.onClose = undefined;
    this.ws.close(1000, 'bye');
  }
}
