import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { startQueueServer, technician } from './technician';

/**
 * A host page that reloads while its request waits: the socket closes without `leave`, the request stays (the
 * consoles see no removal), and the page that resumes the session with its single-use token reclaims it, in its
 * place. Nobody else can; unclaimed, it goes when the grace period ends.
 */
let server: RunningSignalingServer | undefined;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
  server = undefined;
});

async function waitingHost(s: RunningSignalingServer) {
  const host = track(await TestClient.connect(s.wsUrl));
  host.send({ type: 'host.open', v: 1 });
  const opened = await host.next('host.opened');
  const { token } = await host.next('resume.token');
  host.send({ type: 'help.request', name: 'Pat Person', description: 'Printer offline' });
  const queued = await host.next('help.queued');
  return { host, code: opened.code, token, queued };
}

async function resumed(s: RunningSignalingServer, code: string, token: string) {
  const page = track(await TestClient.connect(s.wsUrl));
  page.send({ type: 'session.resume', v: 1, code, token, fresh: true });
  await page.next('session.resumed');
  return page;
}

describe('a host page reload keeps its waiting request', () => {
  it('the resumed page reclaims the request in its place and a pick reaches it', async () => {
    server = await startQueueServer({ helpRequestsPerAddressPerHour: 1000 });
    const tech = track(await technician(server));
    tech.send({ type: 'queue.watch' });
    await tech.next('queue.snapshot');
    const first = await waitingHost(server);
    const second = await waitingHost(server);
    await tech.next('queue.added');
    await tech.next('queue.added');

    first.host.ws.terminate();
    expect(await tech.nothing('queue.removed', 500)).toBe(true);
    const page = await resumed(server, first.code, first.token);
    page.send({ type: 'help.reclaim' });
    const again = await page.next('help.queued');
    expect(again).toMatchObject({ requestId: first.queued.requestId, position: 1, waitingSince: first.queued.waitingSince });

    // The request is the reloaded page's again: it can cancel it, and the host behind moves up.
    page.send({ type: 'help.cancel' });
    expect((await page.next('help.ended')).reason).toBe('cancelled');
    expect((await second.host.next('help.position')).position).toBe(1);

    second.host.ws.terminate();
    const secondPage = await resumed(server, second.code, second.token);
    secondPage.send({ type: 'help.reclaim' });
    await secondPage.next('help.queued');
    const picker = track(await technician(server, 'olga@example.com', 'Olga Other'));
    picker.send({ type: 'queue.pick', requestId: second.queued.requestId });
    await picker.next('join.pending');
    expect((await secondPage.next('join.request')).identity?.email).toBe('olga@example.com');
  });

  it('only the session resumed with its token can reclaim; unclaimed, the request goes after the grace period', async () => {
    server = await startQueueServer({ helpRequestsPerAddressPerHour: 1000, resumeGraceMs: 1500 });
    const tech = track(await technician(server));
    tech.send({ type: 'queue.watch' });
    await tech.next('queue.snapshot');
    const left = await waitingHost(server);
    await tech.next('queue.added');
    left.host.ws.terminate();

    const stranger = track(await TestClient.connect(server.wsUrl));
    stranger.send({ type: 'help.reclaim' });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_BAD_STATE');
    stranger.send({ type: 'session.resume', v: 1, code: left.code, token: 'A'.repeat(43), fresh: true });
    expect((await stranger.next('error')).code).toBe('SIG_ERR_RESUME_FAILED');
    const other = await waitingHost(server);
    await tech.next('queue.added');
    // Another session's host reclaims nothing of this one: its own request is not the one left waiting.
    other.host.send({ type: 'help.reclaim' });
    expect((await other.host.next('help.queued')).requestId).toBe(other.queued.requestId);

    const removed = await tech.next('queue.removed', 5000);
    expect(removed).toMatchObject({ requestId: left.queued.requestId, reason: 'host-left' });
  });
});
