import wrtc from '@roamhq/wrtc';
import pino from 'pino';
import SimplePeer from 'simple-peer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IceServer } from '../../protocol/signaling-messages';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { startCoturn, type Coturn } from '../support/coturn';
import { pairedSession, type TestClient } from '../support/signaling-client';

let server: RunningSignalingServer;
let coturn: Coturn;
beforeAll(async () => {
  coturn = await startCoturn();
  server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), turnUrls: [coturn.url], turnSecret: coturn.secret });
});
afterAll(async () => {
  await server.close();
  await coturn.stop();
});

/** Wires a simple-peer to one end of a signaling pairing. */
function peerOver(client: TestClient, initiator: boolean, iceServers: IceServer[], relayOnly: boolean) {
  const peer = new SimplePeer({
    initiator,
    wrtc,
    trickle: true,
    config: { iceServers, iceTransportPolicy: relayOnly ? 'relay' : 'all' },
  });
  peer.on('signal', (data) => client.send({ type: 'signal', data }));
  client.ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw));
    if (msg.type === 'signal') peer.signal(msg.data);
  });
  return peer;
}

async function echoThroughServer(relayOnly: boolean) {
  const { host, viewer, accepted, admitted } = await pairedSession(server.wsUrl);
  const hostPeer = peerOver(host, true, admitted.iceServers, relayOnly);
  const viewerPeer = peerOver(viewer, false, accepted.iceServers, relayOnly);
  viewerPeer.on('data', (d: Uint8Array) => viewerPeer.send(`echo:${Buffer.from(d).toString()}`));
  await new Promise<void>((resolve, reject) => {
    hostPeer.once('connect', () => resolve());
    hostPeer.once('error', reject);
  });
  const reply = new Promise<string>((resolve) => hostPeer.once('data', (d: Uint8Array) => resolve(Buffer.from(d).toString())));
  hostPeer.send('ping from host');
  const echoed = await reply;
  const stats = await new Promise<RTCStatsReport>((resolve, reject) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (hostPeer as any)._pc.getStats().then(resolve, reject),
  );
  const pair = [...stats.values()].find((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated);
  const local = pair && stats.get(pair.localCandidateId);
  hostPeer.destroy();
  viewerPeer.destroy();
  host.close();
  viewer.close();
  return { echoed, candidateType: local?.candidateType as string | undefined, iceServers: admitted.iceServers };
}

describe('two real WebRTC peers introduced by the server', () => {
  it('open a data channel that echoes a message', async () => {
    const { echoed } = await echoThroughServer(false);
    expect(echoed).toBe('echo:ping from host');
  });

  it('connect relay-only through coturn with credentials the server minted', async () => {
    const { echoed, candidateType, iceServers } = await echoThroughServer(true);
    expect(iceServers[0].username).toMatch(/^\d+:[A-Za-z0-9_-]{12}$/); // a random label, no session code
    expect(echoed).toBe('echo:ping from host');
    expect(candidateType).toBe('relay');
  });

  it('cannot use TURN with a forged credential (coturn checks the HMAC)', async () => {
    const forged: IceServer[] = [{ urls: coturn.url, username: `${Math.floor(Date.now() / 1000) + 600}:x`, credential: 'not-the-hmac' }];
    const pc = new wrtc.RTCPeerConnection({ iceServers: forged, iceTransportPolicy: 'relay' });
    pc.createDataChannel('x');
    const relayCandidates: string[] = [];
    pc.onicecandidate = (e) => e.candidate && relayCandidates.push(e.candidate.candidate);
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
    });
    pc.close();
    expect(relayCandidates).toEqual([]);
  });
});
