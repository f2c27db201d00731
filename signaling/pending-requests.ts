import type { Socket } from 'node:net';

export interface PendingLimits {
  /** A socket whose request has not arrived in full by then is closed (slowloris). */
  deadlineMs: number;
  /** Sockets one address may have waiting; a real office behind one NAT address opens dozens at once. */
  perAddress: number;
  /** Sockets waiting in all: what a flood can hold of the process's file descriptors. */
  total: number;
}

interface Waiting {
  address: string;
  since: number;
}

/**
 * Sockets whose first request has not arrived yet. An honest browser sends its request within milliseconds, so
 * when a budget is full the socket that has waited longest is the one cut: a flood from an address cuts its own
 * oldest sockets and never the next honest connection, from that address or another. Whatever is left over is
 * closed at its deadline.
 */
export class PendingRequests {
  // Insertion order is arrival order: the first entries are the oldest.
  private readonly all = new Map<Socket, Waiting>();
  private readonly byAddress = new Map<string, Set<Socket>>();
  // One close listener shared by every socket (`this` is the socket), removed once its request arrives: nothing of
  // this stays with a connection that got through.
  private readonly forgetOnClose: (this: Socket) => void;

  constructor(
    private readonly limits: PendingLimits,
    /** Called for each socket cut (budget or deadline), before it is destroyed. */
    private readonly onCut: (why: 'budget' | 'deadline') => void,
  ) {
    const arrived = (socket: Socket) => this.arrived(socket);
    this.forgetOnClose = function (this: Socket) {
      arrived(this);
    };
  }

  get size(): number {
    return this.all.size;
  }

  track(socket: Socket, address: string, now = Date.now()): void {
    const mine = this.byAddress.get(address) ?? new Set<Socket>();
    if (mine.size >= this.limits.perAddress) this.cut(mine.values().next().value!, 'budget');
    if (this.all.size >= this.limits.total) this.cut(this.all.keys().next().value!, 'budget');
    this.all.set(socket, { address, since: now });
    mine.add(socket);
    this.byAddress.set(address, mine);
    socket.once('close', this.forgetOnClose);
  }

  /** The socket's request arrived in full (or it closed): it no longer waits. Idempotent. */
  arrived(socket: Socket): void {
    const waiting = this.all.get(socket);
    if (!waiting) return;
    this.all.delete(socket);
    socket.off('close', this.forgetOnClose);
    const mine = this.byAddress.get(waiting.address);
    mine?.delete(socket);
    if (mine?.size === 0) this.byAddress.delete(waiting.address);
  }

  /** Closes every socket past its deadline; call it a few times per deadline. */
  sweep(now = Date.now()): void {
    for (const [socket, waiting] of this.all) {
      if (now - waiting.since < this.limits.deadlineMs) return;
      this.cut(socket, 'deadline');
    }
  }

  private cut(socket: Socket, why: 'budget' | 'deadline'): void {
    this.arrived(socket);
    this.onCut(why);
    socket.destroy();
  }
}
