import type { Redis } from 'ioredis';
import type { ServerMessage } from '../../protocol/signaling-messages';
import type { ConnectionRouter, LocalConnections, PeerRoute } from '../connection-router';
import { LocalRouter } from '../connection-router';
import { NODE_SESSIONS, nodeOf } from './keys';

const CHANNEL = (node: string) => `peerdesk:node:${node}`;
const ALIVE = (node: string) => `peerdesk:node-alive:${node}`;
/** Every node that ever reported, scored by when it last did: a stale score is a dead node to reap. */
const NODES = 'peerdesk:nodes';
const REAP_LOCK = (node: string) => `peerdesk:reap:${node}`;
/** A node that has not said it is alive for this long is taken for dead; its connections' sides go away. */
const ALIVE_TTL_MS = 10_000;
const ALIVE_EVERY_MS = 3_000;

type Op = 'send' | 'forward' | 'pair' | 'unpair' | 'unbind' | 'close';

/**
 * Several nodes: a connection on another node is reached by publishing to that node's channel. The frame is
 * `op \t connection id \t argument \n payload`, so a relayed signal crosses as the bytes it came in, unparsed.
 */
export class RedisRouter implements ConnectionRouter {
  private readonly here: LocalRouter;
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    private readonly node: string,
    private readonly local: LocalConnections,
    private readonly pub: Redis,
    private readonly sub: Redis,
  ) {
    this.here = new LocalRouter(local);
    this.timer = setInterval(() => void this.sayAlive(), ALIVE_EVERY_MS);
    this.timer.unref();
  }

  static async start(node: string, local: LocalConnections, pub: Redis): Promise<RedisRouter> {
    const sub = pub.duplicate();
    const router = new RedisRouter(node, local, pub, sub);
    sub.on('message', (_channel: string, frame: string) => router.deliver(frame));
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
    for (const node of await this.pub.zrangebyscore(NODES, 0, Date.now() - ALIVE_TTL_MS)) {
      if (node === this.node || (await this.pub.set(REAP_LOCK(node), this.node, 'PX', 60_000, 'NX')) !== 'OK') continue;
      await check(await this.pub.smembers(NODE_SESSIONS(node)));
      await this.pub.multi().zrem(NODES, node).del(NODE_SESSIONS(node)).exec();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
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
      forward: (bytes) => this.publish(id, 'forward', '', bytes.toString()),
    };
  }

  private deliver(frame: string): void {
    const nl = frame.indexOf('\n');
    const [op, id, arg] = (nl < 0 ? frame : frame.slice(0, nl)).split('\t') as [Op, string, string];
    const payload = nl < 0 ? '' : frame.slice(nl + 1);
    switch (op) {
      case 'forward':
        return void this.local.apply(id, (c) => c.forward(Buffer.from(payload)));
      case 'send':
        return void this.local.apply(id, (c) => c.send(JSON.parse(payload) as ServerMessage));
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

  private publish(id: string, op: Op, arg = '', payload = ''): void {
    void this.pub.publish(CHANNEL(nodeOf(id)), `${op}\t${id}\t${arg}\n${payload}`).catch(() => undefined);
  }

  private isLocal(id: string): boolean {
    return nodeOf(id) === this.node;
  }

  private async sayAlive(): Promise<void> {
    await this.pub
      .multi()
      .set(ALIVE(this.node), '1', 'PX', ALIVE_TTL_MS)
      .zadd(NODES, Date.now(), this.node)
      .exec()
      .catch(() => undefined);
  }
}
