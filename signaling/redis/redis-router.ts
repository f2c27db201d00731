import type { Redis } from 'ioredis';
import type { ServerMessage } from '../../protocol/signaling-messages';
import type { ConnectionRouter, LocalConnections, PeerRoute } from '../connection-router';
import { LocalRouter } from '../connection-router';
import { NODE_SESSIONS, nodeOf } from './keys';
import { BatchWriter, type Op, readBatch } from './node-frames';

const CHANNEL = (node: string) => `peerdesk:node:${node}`;
const ALIVE = (node: string) => `peerdesk:node-alive:${node}`;
/** Every node that ever reported, scored by when it last did: a stale score is a dead node to reap. */
const NODES = 'peerdesk:nodes';
const REAP_LOCK = (node: string) => `peerdesk:reap:${node}`;
/**
 * At most one PUBLISH per peer node per this long while signals keep coming: at 5,000 signals/s a turn of the event
 * loop holds only one or two, and each PUBLISH costs both nodes and Redis wake-ups, socket writes and a reply (on
 * these machines a loopback write alone took ~100 µs of CPU: --cpu-prof, 2026-12-07). The first frame after a quiet
 * spell still goes at the end of its turn, so a lone signal waits no longer than before; a busy one waits ≤ 2 ms.
 */
export const FLUSH_GAP_MS = 2;
/**
 * A batch this large goes at once, in the turn that filled it: after a stall a turn can read tens of thousands of
 * signals, and one PUBLISH of megabytes is held whole by Redis and by the receiving client before the receiving
 * node can forward its first signal, then forwarded in one task that stalls that node in turn.
 */
export const MAX_BATCH_BYTES = 64 * 1024;

/**
 * Several nodes: a connection on another node is reached by publishing to that node's channel (node-frames.ts: a
 * relayed signal crosses as the bytes it came in, unparsed). Frames for one node are batched until the event loop's
 * turn ends, and a busy node sends at most one PUBLISH per peer node per `FLUSH_GAP_MS`, not one per signal.
 * The receiving node forwards a relayed signal's bytes without parsing them again: the sending node validated them
 * against the schema, and the channel is the nodes' own (README: Redis is as trusted as the nodes).
 */
export class RedisRouter implements ConnectionRouter {
  private readonly here: LocalRouter;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Frames waiting to be published, by the channel of the node they go to (writers are kept and reused). */
  private readonly batches = new Map<string, BatchWriter>();
  /** Cancels the flush that is scheduled (a timeout or an immediate), if one is. */
  private cancelScheduledFlush?: () => void;
  private lastFlush = -Infinity;
  private readonly channels = new Map<string, string>();
  private readonly flushNow = () => this.flush();

  private constructor(
    private readonly node: string,
    private readonly local: LocalConnections,
    private readonly pub: Redis,
    private readonly sub: Redis,
    /** A node that has not said it is alive for this long is taken for dead; its connections' sides go away. */
    private readonly aliveTtlMs: number,
  ) {
    this.here = new LocalRouter(local);
    // Three reports fit in the time to live (every 3 s for the default 10 s): one lost report kills no node.
    this.timer = setInterval(() => void this.sayAlive(), Math.round(aliveTtlMs * 0.3));
    this.timer.unref();
  }

  static async start(node: string, local: LocalConnections, pub: Redis, aliveTtlMs: number): Promise<RedisRouter> {
    const sub = pub.duplicate();
    const router = new RedisRouter(node, local, pub, sub, aliveTtlMs);
    sub.on('messageBuffer', (_channel: Buffer, batch: Buffer) => readBatch(batch, router.deliver));
    await sub.connect();
    // ioredis re-subscribes by itself after a reconnect.
    await sub.subscribe(CHANNEL(node));
    await router.sayAlive();
    return router;
  }

  send(id: string, message: ServerMessage): void {
    if (this.isLocal(id)) this.here.send(id, message);
    else this.publish(id, 'send', '', JSON.stringify(message));
  }

  pair(id: string, peerId: string): void {
    if (!this.isLocal(id)) return this.publish(id, 'pair', peerId);
    this.local.apply(id, (c) => {
      c.peer = this.route(peerId);
      c.peerAway = false;
    });
  }

  unpair(id: string): void {
    if (this.isLocal(id)) this.here.unpair(id);
    else this.publish(id, 'unpair');
  }

  unbind(id: string): void {
    if (this.isLocal(id)) this.here.unbind(id);
    else this.publish(id, 'unbind');
  }

  close(id: string, reason: string): void {
    if (this.isLocal(id)) this.here.close(id, reason);
    else this.publish(id, 'close', reason);
  }

  async alive(id: string): Promise<boolean> {
    if (this.isLocal(id)) return this.here.alive(id);
    return (await this.pub.exists(ALIVE(nodeOf(id)))) === 1;
  }

  /**
   * Nodes that stopped reporting (killed, frozen, cut off): one live node claims each and hands over the sessions
   * that had a side there, so those sides get the usual grace period to resume elsewhere.
   */
  async reapDeadNodes(check: (codes: string[]) => Promise<void>): Promise<void> {
    for (const node of await this.pub.zrangebyscore(NODES, 0, Date.now() - this.aliveTtlMs)) {
      if (node === this.node || (await this.pub.set(REAP_LOCK(node), this.node, 'PX', 60_000, 'NX')) !== 'OK') continue;
      await check(await this.pub.smembers(NODE_SESSIONS(node)));
      await this.pub.multi().zrem(NODES, node).del(NODE_SESSIONS(node)).exec();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.cancelFlush();
    this.flush();
    await this.pub
      .multi()
      .del(ALIVE(this.node))
      .zadd(NODES, 0, this.node)
      .exec()
      .catch(() => undefined);
    this.sub.disconnect();
  }

  /** Where a paired connection's signals go: straight to a local socket, or over pub/sub. */
  private route(id: string): PeerRoute {
    return this.local.byId.get(id) ?? new RemotePeer(id, this.publish, this.channelOf(nodeOf(id)));
  }

  /** One frame from another node (a field, so the subscriber calls it without a closure per batch). */
  private readonly deliver = (op: Op, id: string, arg: string, payload: Buffer): void => {
    switch (op) {
      // `send`: a message's JSON as its sending node wrote it, sent on as it is (not parsed and written again).
      case 'forward':
      case 'send':
        return this.local.byId.get(id)?.forward(payload);
      case 'pair':
        return this.pair(id, arg);
      case 'unpair':
        return this.here.unpair(id);
      case 'unbind':
        return this.here.unbind(id);
      case 'close':
        return this.here.close(id, arg);
    }
  };

  /**
   * Queues a frame for `id`'s node; sent at the end of this turn, or `FLUSH_GAP_MS` after the last PUBLISH. A field:
   * the remote peers call it too.
   */
  private readonly publish: FramePublisher = (id, op, arg = '', payload = '', channel = CHANNEL(nodeOf(id))) => {
    let batch = this.batches.get(channel);
    if (!batch) this.batches.set(channel, (batch = new BatchWriter()));
    batch.add(op, id, arg, payload);
    if (batch.byteLength >= MAX_BATCH_BYTES) void this.pub.publish(channel, batch.take()).catch(ignore);
    if (this.cancelScheduledFlush) return;
    // Never longer than the window, whatever the clock did meanwhile.
    const wait = Math.min(FLUSH_GAP_MS, this.lastFlush + FLUSH_GAP_MS - performance.now());
    if (wait > 0) {
      const timeout = setTimeout(this.flushNow, wait);
      this.cancelScheduledFlush = () => clearTimeout(timeout);
    } else {
      const immediate = setImmediate(this.flushNow);
      this.cancelScheduledFlush = () => clearImmediate(immediate);
    }
  };

  private flush(): void {
    this.cancelScheduledFlush = undefined;
    this.lastFlush = performance.now();
    for (const [channel, batch] of this.batches) if (batch.size > 0) void this.pub.publish(channel, batch.take()).catch(ignore);
  }

  private cancelFlush(): void {
    this.cancelScheduledFlush?.();
    this.cancelScheduledFlush = undefined;
  }

  /** One string per peer node, shared by every remote peer there (not one per paired connection). */
  private channelOf(node: string): string {
    let channel = this.channels.get(node);
    if (!channel) this.channels.set(node, (channel = CHANNEL(node)));
    return channel;
  }

  private isLocal(id: string): boolean {
    return nodeOf(id) === this.node;
  }

  private async sayAlive(): Promise<void> {
    await this.pub
      .multi()
      .set(ALIVE(this.node), '1', 'PX', this.aliveTtlMs)
      .zadd(NODES, Date.now(), this.node)
      .exec()
      .catch(() => undefined);
  }
}

const ignore = () => undefined;

type FramePublisher = (id: string, op: Op, arg?: string, payload?: Buffer | string, channel?: string) => void;

/** A paired connection on another node, as its peer here sees it: one small object, no closures per connection. */
class RemotePeer implements PeerRoute {
  /** `channel`: its node's, worked out once rather than for every signal. */
  constructor(
    readonly id: string,
    private readonly publish: FramePublisher,
    private readonly channel: string,
  ) {}

  send(message: ServerMessage): void {
    this.publish(this.id, 'send', '', JSON.stringify(message), this.channel);
  }

  forward(bytes: Buffer): void {
    this.publish(this.id, 'forward', '', bytes, this.channel);
  }
}
