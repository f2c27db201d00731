import type { Redis } from 'ioredis';
import type { ServerMessage } from '../../protocol/signaling-messages';
import type { ConnectionRouter, LocalConnections, PeerRoute } from '../connection-router';
import { LocalRouter } from '../connection-router';
import { NODE_SESSIONS, nodeOf } from './keys';
import { decodeBatch, encodeFrame, type NodeFrame, type Op } from './node-frames';

const CHANNEL = (node: string) => `peerdesk:node:${node}`;
const ALIVE = (node: string) => `peerdesk:node-alive:${node}`;
/** Every node that ever reported, scored by when it last did: a stale score is a dead node to reap. */
const NODES = 'peerdesk:nodes';
const REAP_LOCK = (node: string) => `peerdesk:reap:${node}`;

/**
 * Several nodes: a connection on another node is reached by publishing to that node's channel (node-frames.ts: a
 * relayed signal crosses as the bytes it came in, unparsed). Frames for one node are batched until the event loop's
 * turn ends, so a busy node sends one PUBLISH per peer node per turn rather than one per signal.
 */
export class RedisRouter implements ConnectionRouter {
  private readonly here: LocalRouter;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Frames waiting for the end of this turn, by the channel of the node they go to. */
  private readonly batches = new Map<string, Buffer[]>();
  private flushing?: ReturnType<typeof setImmediate>;

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
    sub.on('messageBuffer', (_channel: Buffer, batch: Buffer) => {
      for (const frame of decodeBatch(batch)) router.deliver(frame);
    });
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
    clearImmediate(this.flushing);
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
    const local = this.local.byId.get(id);
    if (local) return local;
    return {
      id,
      send: (message) => this.publish(id, 'send', '', JSON.stringify(message)),
      forward: (bytes) => this.publish(id, 'forward', '', bytes),
    };
  }

  private deliver({ op, id, arg, payload }: NodeFrame): void {
    switch (op) {
      // `send`: a message's JSON as its sending node wrote it, sent on as it is (not parsed and written again).
      case 'forward':
      case 'send':
        return void this.local.apply(id, (c) => c.forward(payload));
      case 'pair':
        return this.pair(id, arg);
      case 'unpair':
        return this.here.unpair(id);
      case 'unbind':
        return this.here.unbind(id);
      case 'close':
        return this.here.close(id, arg);
    }
  }

  private publish(id: string, op: Op, arg = '', payload: Buffer | string = ''): void {
    const channel = CHANNEL(nodeOf(id));
    const batch = this.batches.get(channel);
    if (batch) batch.push(encodeFrame(op, id, arg, payload));
    else this.batches.set(channel, [encodeFrame(op, id, arg, payload)]);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = undefined;
    for (const [channel, frames] of this.batches)
      void this.pub.publish(channel, frames.length === 1 ? frames[0]! : Buffer.concat(frames)).catch(() => undefined);
    this.batches.clear();
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
