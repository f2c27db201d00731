import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../../signaling/server';
import type { TestClient } from '../../support/signaling-client';
import { askingHost, startQueueServer, technician } from './technician';

/** A pick hands the host relay credentials the way a join by PIN does: its one grant, re-handed while fresh. */
let server: RunningSignalingServer;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T) => (clients.push(c), c);

beforeAll(async () => {
  server = await startQueueServer({ turnUrls: ['turn:turn.example:3478'], turnSecret: 'test-secret', helpRequestsPerAddressPerHour: 1000 });
});
afterEach(() => clients.splice(0).forEach((c) => c.close()));
afterAll(() => server.close());

const turnUser = (m: { iceServers: { username?: string }[] }) => m.iceServers.find((s) => s.username)?.username;

describe('TURN credentials on the queue pick path', () => {
  it('picks, a requeue and the Allow hand the host the same grant, not a fresh credential per pick', async () => {
    const { host, queued } = await askingHost(server.wsUrl);
    track(host);
    const usernames: (string | undefined)[] = [];
    for (let pick = 0; pick < 3; pick++) {
      const tech = track(await technician(server));
      tech.send({ type: 'queue.pick', requestId: queued.requestId });
      await tech.next('join.pending');
      const request = await host.next('join.request');
      usernames.push(turnUser(request));
      if (pick < 2) {
        host.send({ type: 'host.decide', requestId: request.requestId, allow: false, requeue: true });
        await host.next('help.queued');
      } else {
        host.send({ type: 'host.decide', requestId: request.requestId, allow: true });
        usernames.push(turnUser(await host.next('peer.admitted')));
      }
    }
    expect(usernames[0]).toMatch(/^\d+:/);
    expect(new Set(usernames)).toEqual(new Set([usernames[0]]));
  });
});
