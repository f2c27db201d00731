import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CAPTURE_PCS, iceUfrag } from '../support/capture-pcs';
import { clickAt, expectClick, grantControl } from '../support/control-session';
import { E2EHarness } from '../support/e2e-harness';
import { RedisServer } from '../support/redis-server';
import { SignalingProcess } from '../support/signaling-process';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';

/**
 * The signaling server runs as its own process on Redis, so the test can SIGKILL it mid-session and start it again
 * on the same port. Peers talk directly; the server is only needed to introduce, renegotiate and resume.
 */
let redis: RedisServer;
let server: SignalingProcess;
let harness: E2EHarness;
let udpBlocked = false;
const udp = (action: '-A' | '-D') => execFileSync('iptables', [action, 'INPUT', '-p', 'udp', '-j', 'DROP']);
const serverArgs = (grace = 60) => ['--static-dir', 'dist/renderer', '--host-opens-per-minute', '1000', '--resume-grace', String(grace)];

beforeAll(async () => {
  if (process.env.PEERDESK_IN_NETNS !== '1')
    throw new Error('run through npm test: this test changes the firewall of its network namespace');
  redis = await RedisServer.start();
  server = await SignalingProcess.start(serverArgs(), { REDIS_URL: redis.url });
  harness = await E2EHarness.start({}, server);
});
afterEach(async () => {
  if (udpBlocked) udp('-D');
  udpBlocked = false;
  await harness.reset();
});
afterAll(async () => {
  await harness.stop();
  await redis.stop();
});

const signalingState = (page: Page) => page.evaluate(() => document.body.dataset.signaling);
const waitForSignaling = (page: Page, state: string) =>
  page.waitForFunction((s) => document.body.dataset.signaling === s, state, { timeout: 20_000 });

async function sharedSession(color: string) {
  const screen = await harness.openWindow('Outage app', color, '1280x800+0+0');
  const host = await harness.hostPage('screen', true, '', async (p) => void (await p.addInitScript(CAPTURE_PCS)));
  const viewer = await harness.viewerPage();
  await E2EHarness.requestToJoin(host, viewer);
  await host.click('#allow-view');
  await waitForDecodedFrames(viewer);
  await viewer.waitForSelector('#request-control:not([disabled])');
  await host.waitForSelector('#control-bar', { state: 'attached' });
  return { screen, host, viewer };
}

describe('a live session does not depend on the signaling server', () => {
  it('survives a SIGKILL of the server (frames and control go on), reconnects both sides after a restart, and an ICE restart works after it', async () => {
    const { screen, host, viewer } = await sharedSession('#aa0000');
    await grantControl(harness, viewer);

    await server.kill();
    await Promise.all([waitForSignaling(host, 'reconnecting'), waitForSignaling(viewer, 'reconnecting')]);
    expect(await viewer.isVisible('#server-note')).toBe(true);
    // Frames keep arriving: a change on the host's screen shows on the viewer with no server at all.
    await screen.command('color #00aa00');
    await waitForVideoColor(viewer, [0, 170, 0], 0.5, 0.5, 10_000);
    // Control keeps working, checked by the X application that receives the click.
    await clickAt(viewer, 0.25, 0.25);
    expectClick((await screen.waitForClicks(1))[0], 1, 320, 200);
    expect(await viewer.evaluate(() => document.body.dataset.viewerState)).toBe('watching');
    expect(await host.evaluate(() => document.body.dataset.hostState)).toBe('sharing');

    await server.restart();
    await Promise.all([waitForSignaling(host, 'online'), waitForSignaling(viewer, 'online')]);
    await viewer.waitForSelector('#server-note', { state: 'hidden' });
    await host.waitForSelector('#server-note', { state: 'hidden' });

    // The restarted server relays an ICE restart: a dropped media path recovers through it.
    const ufragBefore = await iceUfrag(host);
    const answerUfrag = () =>
      host.evaluate(() => {
        const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.find((p) => p.connectionState !== 'closed');
        return /a=ice-ufrag:(\S+)/.exec(pc?.remoteDescription?.sdp ?? '')?.[1];
      });
    const answerBefore = await answerUfrag();
    udp('-A');
    udpBlocked = true;
    await viewer.waitForSelector('#reconnecting:not([hidden])', { timeout: 20_000 });
    // The path comes back only once the host has begun its ICE restart: its own ICE may notice the loss later than
    // the viewer's, and a path restored before that recovers without any restart (nothing would cross the server).
    await expect.poll(() => iceUfrag(host), { timeout: 20_000 }).not.toBe(ufragBefore);
    await screen.command('color #0000aa');
    udp('-D');
    udpBlocked = false;
    await waitForVideoColor(viewer, [0, 0, 170], 0.5, 0.5, 20_000);
    // The viewer's answer to the restart came back through the restarted server.
    await expect.poll(answerUfrag, { timeout: 10_000 }).not.toBe(answerBefore);
    expect(await signalingState(viewer)).toBe('online');
  });

  it('a viewer page reload within the grace period is back in the session without a PIN or a new Allow; control is not', async () => {
    const { screen, host, viewer } = await sharedSession('#884400');
    await grantControl(harness, viewer);
    await viewer.reload();
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'watching', undefined, { timeout: 20_000 });
    await waitForDecodedFrames(viewer);
    await screen.command('color #004488');
    await waitForVideoColor(viewer, [0, 68, 136], 0.5, 0.5, 10_000);
    // Nobody was asked: the host never saw a prompt, and control must be asked for again.
    expect(await host.isVisible('#allow-view')).toBe(false);
    await host.waitForFunction(() => document.body.dataset.hostState === 'sharing');
    expect(harness.services.consent.current).not.toBe('granted');
    await viewer.waitForSelector('#request-control:not([disabled])');
    expect(await viewer.evaluate(() => document.body.dataset.controlState)).not.toBe('granted');
    await clickAt(viewer, 0.5, 0.5);
    expect(JSON.parse(await screen.command('clicks'))).toEqual([]);
  });
});

describe('after the grace period', () => {
  beforeAll(() => server.restart(serverArgs(2)));

  it('a technician who comes back later needs the code and a new PIN', async () => {
    const { host, viewer } = await sharedSession('#446600');
    const viewerUrl = viewer.url();
    await viewer.goto('about:blank');
    await host.waitForFunction(() => document.body.dataset.hostState === 'ready', undefined, { timeout: 20_000 });
    await viewer.goto(viewerUrl);
    await viewer.waitForSelector('#join-pin');
    expect(await viewer.evaluate(() => document.body.dataset.viewerState)).toBe('form');
  });
});

describe('after a restart without Redis (the server forgot every session)', () => {
  beforeAll(() => server.restart(serverArgs(), {}));

  it('the peer link carries the notes and the end: no stale note while the call goes on, and Stop reaches the technician at once', async () => {
    const { screen, host, viewer } = await sharedSession('#006666');
    await server.kill();
    await Promise.all([waitForSignaling(host, 'reconnecting'), waitForSignaling(viewer, 'reconnecting')]);
    await server.restart(serverArgs(), {});
    await Promise.all([waitForSignaling(host, 'lost'), waitForSignaling(viewer, 'lost')]);
    // The call goes on directly, so neither side is told otherwise.
    await viewer.waitForSelector('#server-note', { state: 'hidden' });
    await host.waitForSelector('#server-note', { state: 'hidden' });
    await screen.command('color #660066');
    await waitForVideoColor(viewer, [102, 0, 102], 0.5, 0.5, 10_000);

    await host.click('#stop-sharing');
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'ended', undefined, { timeout: 2000 });
    expect(await viewer.textContent('h2')).toBe('Session ended');
    expect(await viewer.textContent('#end-reason')).toBe('The person you were helping ended the session.');
  });

  it('the technician’s Leave reaches the person over the peer link when the server forgot the session', async () => {
    const { host, viewer } = await sharedSession('#663300');
    await server.restart(serverArgs(), {});
    await Promise.all([waitForSignaling(host, 'lost'), waitForSignaling(viewer, 'lost')]);
    await viewer.click('#leave');
    await host.waitForFunction(() => document.body.dataset.hostState === 'ended', undefined, { timeout: 2000 });
    expect(await host.textContent('#end-reason')).toBe('Your technician left the session.');
  });
});
