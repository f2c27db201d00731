import { TokenBucket } from '../../common/token-bucket';
import {
  MAX_TOOLKIT_MESSAGE_BYTES,
  TOOLKIT_CHANNEL_ID,
  TOOLKIT_MESSAGES_PER_SECOND,
  type ToolkitMessage,
  toolkitMessageSchema,
} from '../../protocol/toolkit-messages';

type Listener = (message: ToolkitMessage) => void;

/** How long the other side's page has to answer a ping once its signaling dropped. */
export const LINK_PROBE_MS = 2000;

/**
 * The toolkit's data channel, the same on both sides: negotiated with a fixed id, so neither side waits for the
 * other to announce it. Incoming messages are size-checked, rate-limited and parsed with the protocol schema; a
 * bad one is counted by reason and goes no further.
 */
export class ToolkitChannel {
  readonly refused = new Map<string, number>();
  private readonly channel: RTCDataChannel;
  private readonly listeners = new Set<Listener>();
  private readonly sentListeners = new Set<Listener>();
  private readonly bucket = new TokenBucket(TOOLKIT_MESSAGES_PER_SECOND, 20);
  private pings = 0;

  constructor(pc: RTCPeerConnection) {
    this.channel = pc.createDataChannel('toolkit', { negotiated: true, id: TOOLKIT_CHANNEL_ID, ordered: true });
    this.channel.onmessage = (e) => this.receive(e.data);
  }

  get open(): boolean {
    return this.channel.readyState === 'open';
  }

  /** False when the channel is not open (yet, or any more). */
  send(message: ToolkitMessage): boolean {
    if (!this.open) return false;
    this.channel.send(JSON.stringify(message));
    for (const l of this.sentListeners) l(message);
    return true;
  }

  /** What this side sent (a recording keeps both sides of the chat); returns the unsubscribe. */
  onSent(listener: Listener): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  /** Whether the other side answers a ping within `timeoutMs`: its page may be gone while the channel still looks open. */
  probe(timeoutMs: number): Promise<boolean> {
    const n = ++this.pings;
    if (!this.send({ t: 'ping', n })) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const off = this.on((m) => m.t === 'pong' && m.n === n && done(true));
      const done = (alive: boolean) => {
        clearTimeout(timer);
        off();
        resolve(alive);
      };
    });
  }

  /** Runs now if the channel is open, and each time it opens. */
  onOpen(listener: () => void): void {
    this.channel.addEventListener('open', listener);
    if (this.open) listener();
  }

  /**
   * Says `message` last and closes once it is handed to the transport (or after `maxWaitMs`): closing the
   * connection at once could drop it. `then` runs after.
   */
  sendLast(message: ToolkitMessage, then: () => void, maxWaitMs = 1000): void {
    if (!this.send(message)) return then();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      then();
    };
    const timer = setTimeout(finish, maxWaitMs);
    // Handed over is not yet on the wire: the other side closes the connection when it reads this, which ends ours.
    this.channel.addEventListener('close', finish);
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string' || data.length > MAX_TOOLKIT_MESSAGE_BYTES) return this.refuse('too-large-or-binary');
    if (!this.bucket.take()) return this.refuse('rate-limited');
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.refuse('bad-json');
    }
    const parsed = toolkitMessageSchema.safeParse(json);
    if (!parsed.success) return this.refuse('bad-message');
    if (parsed.data.t === 'ping') this.send({ t: 'pong', n: parsed.data.n });
    for (const l of this.listeners) l(parsed.data);
  }

  private refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
    document.body.dataset.toolkitRefused = String([...this.refused.values()].reduce((a, b) => a + b, 0));
  }
}
