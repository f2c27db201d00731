import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from '../audit/audit-db';
import { askingHost, startQueueServer, technician } from './technician';

/**
 * Hand-over on a real server with real ws clients: the admitted technician hands the session to a named colleague
 * or back to a team's queue; their seat ends, the person waits again, only the named colleague sees and may pick
 * it, the person is asked again naming the new technician, and the audit trail has it all.
 */
let server: RunningSignalingServer | undefined;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
  server = undefined;
});

/** A person whose request Tina picked and who allowed her: the live session hand-over starts from. */
async function admittedSession(s: RunningSignalingServer) {
  const { host, queued } = await askingHost(s.wsUrl, { team: 'printers' });
  track(host);
  const tina = track(await technician(s, 'tina@example.com', 'Tina Tech'));
  tina.send({ type: 'queue.pick', requestId: queued.requestId });
  const asked = await host.next('join.request');
  host.send({ type: 'host.decide', requestId: asked.requestId, allow: true });
  await tina.next('join.accepted');
  await host.next('peer.admitted');
  return { host, tina, queued };
}

async function watching(s: RunningSignalingServer, email: string, name: string) {
  const tech = track(await technician(s, email, name));
  tech.send({ type: 'queue.watch' });
  await tech.next('queue.snapshot');
  return tech;
}

describe('handing a session over', () => {
  it('to a named colleague: the old seat ends, only the colleague sees and picks it, the person is asked again naming them', async () => {
    const auditDb = await freshAuditUrl('sqlite');
    server = await startQueueServer({ teams: ['network', 'printers'], helpRequestsPerAddressPerHour: 1000, auditDb });
    const { host, tina, queued } = await admittedSession(server);
    const olga = await watching(server, 'olga@example.com', 'Olga Other');
    const bystander = await watching(server, 'ben@example.com', 'Ben Bystander');

    tina.send({ type: 'help.handover', to: { technician: 'Olga@Example.com' }, note: 'Needs the print server admin' });
    expect((await tina.next('session.ended')).reason).toBe('handed-over');
    expect((await host.next('peer.left')).reason).toBe('handed-over');
    const again = await host.next('help.queued');
    expect(again.handover).toMatchObject({ from: { email: 'tina@example.com' }, to: { technician: 'olga@example.com' } });
    // The person keeps the place they first waited in.
    expect(again.waitingSince).toBe(queued.waitingSince);

    // Tina's old connection is no side of the session any more: nothing she sends reaches the host.
    tina.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
    expect((await tina.next('error')).code).toBe('SIG_ERR_NOT_PAIRED');
    expect(await host.nothing('signal')).toBe(true);

    const offered = await olga.next('queue.added');
    expect(offered.request).toMatchObject({
      description: 'Needs the print server admin',
      handover: { from: 'Tina Tech', toYou: true },
    });
    expect(await bystander.nothing('queue.added')).toBe(true);
    const late = await watching(server, 'ben@example.com', 'Ben Bystander');
    expect(late.received).toEqual([]);

    const thief = track(await technician(server, 'ben@example.com', 'Ben Bystander'));
    thief.send({ type: 'queue.pick', requestId: offered.request.requestId });
    expect((await thief.next('error')).message).toContain('handed to another technician');

    const olgaSeat = track(await technician(server, 'olga@example.com', 'Olga Other'));
    olgaSeat.send({ type: 'queue.pick', requestId: offered.request.requestId });
    await olgaSeat.next('join.pending');
    const asked = await host.next('join.request');
    expect(asked.identity).toMatchObject({ name: 'Olga Other', email: 'olga@example.com' });
    expect(asked.handedOverBy?.email).toBe('tina@example.com');
    host.send({ type: 'host.decide', requestId: asked.requestId, allow: true });
    await olgaSeat.next('join.accepted');
    host.send({ type: 'leave' });
    await olgaSeat.next('session.ended');
    await server.close();

    const store = openStore(auditDb);
    const types = (await allRecords(store)).filter((r) => r.session).map((r) => [r.type, r.technician]);
    await store.audit.db.destroy();
    expect(types).toEqual([
      ['session.created', null],
      ['help.requested', null],
      ['help.picked', 'tina@example.com'],
      ['view.decision', null],
      ['help.handover', 'tina@example.com'],
      ['help.picked', 'olga@example.com'],
      ['view.decision', null],
      ['session.ended', null],
    ]);
    server = undefined;
  });

  it('back to a team queue: the team sees it; Deny with requeue keeps it waiting there', async () => {
    server = await startQueueServer({ teams: ['network', 'printers'], helpRequestsPerAddressPerHour: 1000 });
    const { host, tina } = await admittedSession(server);
    const network = track(await technician(server, 'nina@example.com', 'Nina Net'));
    network.send({ type: 'queue.watch', teams: ['network'] });
    await network.next('queue.snapshot');
    tina.send({ type: 'help.handover', to: { team: 'network' } });
    await host.next('peer.left');
    const offered = await network.next('queue.added');
    expect(offered.request).toMatchObject({ team: 'network', description: 'Printer says <b>offline</b>', handover: { toYou: false } });

    const nina = track(await technician(server, 'nina@example.com', 'Nina Net'));
    nina.send({ type: 'queue.pick', requestId: offered.request.requestId });
    const asked = await host.next('join.request');
    expect(asked.identity?.email).toBe('nina@example.com');
    host.send({ type: 'host.decide', requestId: asked.requestId, allow: false, requeue: true });
    await nina.next('join.denied');
    expect((await network.next('queue.added')).request.requestId).toBe(offered.request.requestId);
  });

  it('is refused to anyone but the admitted, signed-in technician, to oneself and to an unknown team', async () => {
    server = await startQueueServer({ teams: ['network', 'printers'], helpRequestsPerAddressPerHour: 1000 });
    const { host, tina } = await admittedSession(server);
    tina.send({ type: 'help.handover', to: { technician: 'tina@example.com' } });
    expect((await tina.next('error')).message).toContain('yourself');
    tina.send({ type: 'help.handover', to: { team: 'billing' } });
    expect((await tina.next('error')).code).toBe('SIG_ERR_UNKNOWN_TEAM');
    host.send({ type: 'help.handover', to: { team: 'network' } });
    expect((await host.next('error')).code).toBe('SIG_ERR_SIGN_IN_REQUIRED');
    const stranger = track(await technician(server, 'sam@example.com', 'Sam'));
    stranger.send({ type: 'help.handover', to: { team: 'network' } });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_BAD_STATE');
    // None of it touched the session: Tina is still paired with the host.
    tina.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
    await host.next('signal');
  });
});
