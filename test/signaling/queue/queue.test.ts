import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { askingHost, startQueueServer, technician } from './technician';

/** One real server (dev identity provider on), real ws clients: the support queue from request to consent prompt. */
let server: RunningSignalingServer;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

beforeAll(async () => {
  server = await startQueueServer({ teams: ['network', 'printers'], helpRequestsPerAddressPerHour: 1000 });
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(() => server.close());

async function watching(teams?: string[]) {
  const tech = track(await technician(server));
  tech.send({ type: 'queue.watch', ...(teams ? { teams } : {}) });
  const snapshot = await tech.next('queue.snapshot');
  return { tech, snapshot };
}
async function asking(fields: Record<string, unknown> = {}) {
  const r = await askingHost(server.wsUrl, fields);
  track(r.host);
  return r;
}

describe('support queue on one node', () => {
  it('a request appears in a watching console, is picked, and the host is asked with the verified identity and description', async () => {
    const { tech, snapshot } = await watching();
    expect(snapshot.teams).toEqual(['network', 'printers']);
    const { host, queued } = await asking({ team: 'printers' });
    expect(queued.position).toBe(1);
    const added = await tech.next('queue.added');
    expect(added.request).toMatchObject({
      requestId: queued.requestId,
      name: 'Pat Person',
      description: 'Printer says <b>offline</b>',
      team: 'printers',
      os: 'Linux',
      app: 'PeerDesk desktop',
    });
    expect(added.request).not.toHaveProperty('code');

    const picker = track(await technician(server, 'tech@example.com', 'Test Technician'));
    picker.send({ type: 'queue.pick', requestId: queued.requestId });
    expect((await picker.next('queue.picked')).requestId).toBe(queued.requestId);
    await picker.next('join.pending');
    expect((await tech.next('queue.removed')).reason).toBe('picked');
    expect((await host.next('help.taken')).identity.email).toBe('tech@example.com');
    const request = await host.next('join.request');
    expect(request.identity).toMatchObject({ name: 'Test Technician', email: 'tech@example.com' });
    expect(request.description).toBe('Printer says <b>offline</b>');
    host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
    await picker.next('join.accepted');
    expect((await host.next('peer.admitted')).identity?.email).toBe('tech@example.com');
  });

  it('two technicians pick the same request: exactly one wins, the other is told at once', async () => {
    const { host, queued } = await asking();
    const [x, y] = [track(await technician(server)), track(await technician(server, 'other@example.com', 'Other Tech'))];
    x.send({ type: 'queue.pick', requestId: queued.requestId });
    y.send({ type: 'queue.pick', requestId: queued.requestId });
    const outcome = await Promise.all(
      [x, y].map((c) => Promise.race([c.next('queue.picked').then(() => 'won'), c.next('queue.taken').then(() => 'lost')])),
    );
    expect(outcome.sort()).toEqual(['lost', 'won']);
    await host.next('join.request');
    // The loser took nothing: the host hears neither a second request nor that its request failed.
    expect(await host.nothing('join.request')).toBe(true);
    expect(await host.nothing('help.ended')).toBe(true);
  });

  it('positions move as requests ahead leave; cancel tells the consoles', async () => {
    const { tech } = await watching();
    const first = await asking();
    const second = await asking();
    expect(second.queued.position).toBe(first.queued.position + 1);
    first.host.send({ type: 'help.cancel' });
    expect((await first.host.next('help.ended')).reason).toBe('cancelled');
    expect((await second.host.next('help.position')).position).toBe(second.queued.position - 1);
    await tech.next('queue.added');
    await tech.next('queue.added');
    expect(await tech.next('queue.removed')).toMatchObject({ requestId: first.queued.requestId, reason: 'cancelled' });
    // A host that leaves takes its request with it (a socket that only closes keeps it for a reload: host-reload.test.ts).
    second.host.send({ type: 'leave' });
    expect(await tech.next('queue.removed')).toMatchObject({ requestId: second.queued.requestId, reason: 'host-left' });
  });

  it('Deny with requeue puts the request back; Deny without ends it', async () => {
    const { host, queued } = await asking({ team: 'network' });
    const { tech } = await watching(['network']);
    for (const requeue of [true, false]) {
      const picker = track(await technician(server));
      picker.send({ type: 'queue.pick', requestId: queued.requestId });
      const request = await host.next('join.request');
      host.send({ type: 'host.decide', requestId: request.requestId, allow: false, requeue });
      await picker.next('join.denied');
      expect((await tech.next('queue.removed')).reason).toBe('picked');
      if (requeue) {
        expect((await host.next('help.queued')).requestId).toBe(queued.requestId);
        expect((await tech.next('queue.added')).request.waitingSince).toBe(queued.waitingSince);
      } else expect((await host.next('help.ended')).reason).toBe('declined');
    }
  });

  it('a requeued request goes back ahead of the ones that came later, and their places move both ways', async () => {
    const first = await asking({ team: 'printers', description: 'first' });
    const second = await asking({ team: 'printers', description: 'second' });
    const before = second.queued.position;
    const picker = track(await technician(server));
    picker.send({ type: 'queue.pick', requestId: first.queued.requestId });
    const request = await first.host.next('join.request');
    expect((await second.host.next('help.position')).position).toBe(before - 1);
    first.host.send({ type: 'host.decide', requestId: request.requestId, allow: false, requeue: true });
    expect((await first.host.next('help.queued')).position).toBe(first.queued.position);
    expect((await second.host.next('help.position')).position).toBe(before);
  });

  it('a technician who picked and left before the host answered gives the person their place back', async () => {
    const { host, queued } = await asking();
    for (const goes of ['leave', 'close'] as const) {
      const picker = track(await technician(server));
      picker.send({ type: 'queue.pick', requestId: queued.requestId });
      await host.next('join.request');
      if (goes === 'leave') picker.send({ type: 'leave' });
      else picker.close();
      const back = await host.next('help.queued');
      expect(back).toMatchObject({ requestId: queued.requestId, waitingSince: queued.waitingSince });
      expect((await host.next('peer.left')).reason).toMatch(/^viewer-/);
    }
  });

  it('a team filter hides other teams; an unknown team is refused', async () => {
    const { tech } = await watching(['network']);
    await asking({ team: 'printers' });
    expect(await tech.nothing('queue.added')).toBe(true);
    const host = track(await TestClient.connect(server.wsUrl));
    host.send({ type: 'host.open', v: 1 });
    await host.next('host.opened');
    host.send({ type: 'help.request', name: 'Pat', description: 'x', team: 'payroll' });
    expect((await host.next('error')).code).toBe('SIG_ERR_UNKNOWN_TEAM');
  });

  it('unsigned connections can neither watch nor pick', async () => {
    const { queued } = await asking();
    const stranger = track(await TestClient.connect(server.wsUrl));
    stranger.send({ type: 'queue.watch' });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_SIGN_IN_REQUIRED');
    stranger.send({ type: 'queue.pick', requestId: queued.requestId });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_SIGN_IN_REQUIRED');
    expect(await stranger.nothing('queue.snapshot')).toBe(true);
    // A forged cookie is no sign-in either.
    const forged = track(await TestClient.connect(server.wsUrl, { headers: { cookie: 'peerdesk-session=eyJhbGciOiJkaXIifQ..x.y.z' } }));
    forged.send({ type: 'queue.watch' });
    expect((await forged.next('error')).code).toBe('SIG_ERR_SIGN_IN_REQUIRED');
  });

  it('crafted fields are refused with a coded reason', async () => {
    const host = track(await TestClient.connect(server.wsUrl));
    host.send({ type: 'host.open', v: 1 });
    await host.next('host.opened');
    const bad = [
      { name: 'Pat\u202eevil', description: 'x' },
      { name: 'Pat', description: 'a\u200bb' },
      { name: 'Pat', description: 'y'.repeat(501) },
      { name: 'Pat', description: 'bell\u0007' },
      { name: 'Pat', description: 'x', team: 'a/../b' },
      { name: 'Pat', description: 'x', code: '123456789' },
      { name: '', description: 'x' },
    ];
    for (const fields of bad) {
      host.send({ type: 'help.request', ...fields });
      expect((await host.next('error')).code).toBe('SIG_ERR_BAD_MESSAGE');
    }
    const tech = track(await technician(server));
    tech.send({ type: 'queue.pick', requestId: '../../etc' });
    expect((await tech.next('error')).code).toBe('SIG_ERR_BAD_MESSAGE');
    // Only a host with an open session can ask.
    const loose = track(await TestClient.connect(server.wsUrl));
    loose.send({ type: 'help.request', name: 'Pat', description: 'x' });
    expect((await loose.next('error')).code).toBe('SIG_ERR_BAD_STATE');
  });

  it('one host connection may ask only so often; a description may hold line breaks', async () => {
    const { host } = await asking({ description: 'line one\nline two' });
    host.send({ type: 'help.request', name: 'Pat', description: 'again' });
    expect((await host.next('error')).message).toMatch(/already has a waiting/);
    for (let i = 1; i < 5; i++) {
      host.send({ type: 'help.cancel' });
      await host.next('help.ended');
      host.send({ type: 'help.request', name: 'Pat', description: `try ${i}` });
      await host.next('help.queued');
    }
    host.send({ type: 'help.cancel' });
    await host.next('help.ended');
    host.send({ type: 'help.request', name: 'Pat', description: 'sixth' });
    expect((await host.next('error')).code).toBe('SIG_ERR_HELP_LIMIT');
  });

  it('picking a request that is gone says taken', async () => {
    const tech = track(await technician(server));
    tech.send({ type: 'queue.pick', requestId: 'nosuchrequest1' });
    expect((await tech.next('queue.taken')).requestId).toBe('nosuchrequest1');
  });
});

describe('limits and expiry', () => {
  let small: RunningSignalingServer;
  beforeAll(async () => {
    small = await startQueueServer({ maxQueuedRequests: 2, helpRequestsPerAddressPerHour: 3, helpRequestTtlMs: 1500 });
  });
  afterAll(() => small.close());

  it('a full queue refuses with a clear message; an address is limited; requests expire', async () => {
    const a = track((await askingHost(small.wsUrl, {}, '127.0.0.2')).host);
    track((await askingHost(small.wsUrl, {}, '127.0.0.2')).host);
    const third = track(await TestClient.connect(small.wsUrl, { localAddress: '127.0.0.2' }));
    third.send({ type: 'host.open', v: 1 });
    await third.next('host.opened');
    third.send({ type: 'help.request', name: 'Pat', description: 'x' });
    const full = await third.next('error');
    expect(full.code).toBe('SIG_ERR_QUEUE_FULL');
    expect(full.message).toMatch(/queue is full/);
    // Refused for the full queue, it still counted: the address's fourth request hits the per-address limit.
    third.send({ type: 'help.request', name: 'Pat', description: 'x' });
    const limited = await third.next('error');
    expect(limited.code).toBe('SIG_ERR_HELP_LIMIT');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    // A waiting request expires after --help-request-ttl, and its host is told.
    expect((await a.next('help.ended', 5000)).reason).toBe('expired');
  });
});

describe('without sign-in', () => {
  it('the queue is off and says how to turn it on', async () => {
    const plain = await startQueueServer({ devIdp: false });
    try {
      const host = track(await TestClient.connect(plain.wsUrl));
      host.send({ type: 'help.options' });
      expect((await host.next('help.options')).enabled).toBe(false);
      host.send({ type: 'queue.watch' });
      const err = await host.next('error');
      expect(err.code).toBe('SIG_ERR_QUEUE_OFF');
      expect(err.message).toMatch(/--dev-idp/);
    } finally {
      await plain.close();
    }
  });
});
