import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PendingRequests } from '../../signaling/pending-requests';

// The slowloris budget and deadline on their own, with the clock passed in: exact to the millisecond whatever the
// machine's load (abuse-limits.test.ts floods a real server with the same rules).

function setup(limits = { deadlineMs: 1000, perAddress: 3, total: 5 }) {
  const cuts: string[] = [];
  const pending = new PendingRequests(limits, (why) => void cuts.push(why));
  const sockets: Socket[] = [];
  const open = (address: string, now: number) => {
    const socket = new Socket();
    sockets.push(socket);
    pending.track(socket, address, now);
    return socket;
  };
  return { pending, cuts, open, sockets };
}

describe('PendingRequests: the deadline', () => {
  it('cuts a socket at exactly its deadline, not a millisecond before, and only the ones past it', () => {
    const { pending, cuts, open } = setup();
    const first = open('a', 0);
    const second = open('b', 500);
    pending.sweep(999);
    expect(cuts).toEqual([]);
    expect(first.destroyed).toBe(false);
    pending.sweep(1000);
    expect(cuts).toEqual(['deadline']);
    expect(first.destroyed).toBe(true);
    expect(second.destroyed).toBe(false);
    expect(pending.size).toBe(1);
    pending.sweep(1500);
    expect(second.destroyed).toBe(true);
    expect(cuts).toEqual(['deadline', 'deadline']);
    expect(pending.size).toBe(0);
  });

  it('a socket whose request arrived is never cut', () => {
    const { pending, cuts, open } = setup();
    const socket = open('a', 0);
    pending.arrived(socket);
    pending.arrived(socket);
    pending.sweep(10_000);
    expect(cuts).toEqual([]);
    expect(socket.destroyed).toBe(false);
    expect(pending.size).toBe(0);
  });

  it('a socket that closes by itself is forgotten', () => {
    const { pending, cuts, open } = setup();
    const socket = open('a', 0);
    socket.emit('close');
    expect(pending.size).toBe(0);
    pending.sweep(10_000);
    expect(cuts).toEqual([]);
  });
});

describe('PendingRequests: the budgets', () => {
  it('a full address budget cuts that address’s oldest socket, not the newcomer nor another address’s', () => {
    const { pending, cuts, open } = setup();
    const oldest = open('a', 0);
    const other = open('b', 1);
    open('a', 2);
    open('a', 3);
    expect(cuts).toEqual([]);
    const newcomer = open('a', 4);
    expect(cuts).toEqual(['budget']);
    expect(oldest.destroyed).toBe(true);
    expect(other.destroyed).toBe(false);
    expect(newcomer.destroyed).toBe(false);
    expect(pending.size).toBe(4);
  });

  it('a full total budget cuts the oldest socket of any address', () => {
    const { pending, cuts, open } = setup({ deadlineMs: 1000, perAddress: 10, total: 3 });
    const oldest = open('a', 0);
    const second = open('b', 1);
    open('c', 2);
    open('d', 3);
    expect(cuts).toEqual(['budget']);
    expect(oldest.destroyed).toBe(true);
    expect(second.destroyed).toBe(false);
    expect(pending.size).toBe(3);
  });

  it('a socket that arrived leaves the others of its address counted', () => {
    const { pending, cuts, open } = setup({ deadlineMs: 1000, perAddress: 2, total: 10 });
    const first = open('a', 0);
    const second = open('a', 1);
    pending.arrived(first);
    open('a', 2);
    expect(cuts).toEqual([]);
    open('a', 3);
    expect(cuts).toEqual(['budget']);
    expect(second.destroyed).toBe(true);
  });

  it('nothing of the budget stays with a socket that got through: its close listener is removed', () => {
    const { pending, open } = setup();
    const socket = open('a', 0);
    const before = socket.listenerCount('close');
    pending.arrived(socket);
    expect(socket.listenerCount('close')).toBe(before - 1);
  });

  it('an address whose sockets all arrived starts its budget afresh', () => {
    const { pending, cuts, open } = setup({ deadlineMs: 1000, perAddress: 1, total: 10 });
    pending.arrived(open('a', 0));
    open('a', 1);
    expect(cuts).toEqual([]);
  });
});
