/**
 * Recovery, ≥ 20 runs each, real Chromium pages over real WebRTC, the signaling server as its own process on Redis:
 *  - resume: SIGKILL the server and start it again at once → both pages show "online" again (the time the page
 *    flips its state, read from a MutationObserver's timestamp, minus the kill); the server's own start-up is
 *    reported beside it, since a resume cannot precede it.
 *  - path: drop every UDP packet (iptables, the bench's own network namespace) until the viewer shows
 *    "Reconnecting…", then let packets flow again → a colour changed on the host's screen is shown on the viewer
 *    (an ICE restart, through the restarted server). Detection (drop → "Reconnecting…") is reported separately:
 *    it is Chromium's ICE consent timer, not PeerDesk's.
 * Run: npm run bench -- recovery
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { watchingSession } from '../test/support/control-session';
import { E2EHarness } from '../test/support/e2e-harness';
import { RedisServer } from '../test/support/redis-server';
import { SignalingProcess } from '../test/support/signaling-process';
import { waitForVideoColor } from '../test/support/video-probe';
import { publish } from './lib/results';
import { distribution, type Row } from './lib/stats';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS ?? 20);
const udp = (action: '-A' | '-D') => execFileSync('iptables', [action, 'INPUT', '-p', 'udp', '-j', 'DROP']);

/** Records when the page's signaling state attribute changes, in the page (epoch ms, the same clock as this process). */
const watchSignaling = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __signaling: Array<[string, number]> };
    w.__signaling = [];
    new MutationObserver(() => w.__signaling.push([document.body.dataset.signaling ?? '', Date.now()])).observe(document.body, {
      attributes: true,
      attributeFilter: ['data-signaling'],
    });
  });
const onlineSince = (page: Page, since: number) =>
  page
    .waitForFunction(
      (t) => (window as unknown as { __signaling: Array<[string, number]> }).__signaling.find(([s, at]) => s === 'online' && at > t)?.[1],
      since,
      { timeout: 30_000, polling: 50 },
    )
    .then((h) => h.jsonValue() as Promise<number>);

export async function runRecovery(): Promise<void> {
  if (process.env.PEERDESK_IN_NETNS !== '1') throw new Error('run through npm run bench: this benchmark changes its namespace firewall');
  const redis = await RedisServer.start();
  const args = ['--static-dir', 'dist/renderer', '--host-opens-per-minute', '1000'];
  const server = await SignalingProcess.start(args, { REDIS_URL: redis.url });
  const harness = await E2EHarness.start({}, server);
  const rows: Row[] = [];
  try {
    const screen = await harness.openWindow('Recovery app', '#202020', '1280x800+0+0');
    const { host, viewer } = await watchingSession(harness, 'screen');
    await Promise.all([watchSignaling(host), watchSignaling(viewer)]);

    const resume: number[] = [];
    const startup: number[] = [];
    const afterUp: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const killedAt = Date.now();
      await server.restart();
      startup.push(Date.now() - killedAt);
      const [h, v] = await Promise.all([onlineSince(host, killedAt), onlineSince(viewer, killedAt)]);
      resume.push(Math.max(h, v) - killedAt);
      afterUp.push(Math.max(h, v) - killedAt - startup.at(-1)!);
    }
    console.log(`resume after a server kill + restart: ${resume.map((r) => r.toFixed(0)).join(' ')} ms`);
    rows.push(
      distribution('resume_after_server_restart_ms', 'peerdesk', resume),
      distribution('server_restart_ms', 'node', startup),
      distribution('resume_after_server_up_ms', 'peerdesk', afterUp),
    );

    const detect: number[] = [];
    const recover: number[] = [];
    const colors: Array<[string, [number, number, number]]> = [
      ['#c00000', [192, 0, 0]],
      ['#00c000', [0, 192, 0]],
    ];
    for (let i = 0; i < RUNS; i++) {
      const droppedAt = Date.now();
      udp('-A');
      try {
        await viewer.waitForSelector('#reconnecting:not([hidden])', { timeout: 60_000 });
        detect.push(Date.now() - droppedAt);
        const [color, rgb] = colors[i % 2];
        await screen.command(`color ${color}`);
        const restoredAt = Date.now();
        udp('-D');
        await waitForVideoColor(viewer, rgb, 0.5, 0.5, 60_000);
        recover.push(Date.now() - restoredAt);
      } catch (err) {
        udp('-D');
        throw err;
      }
      await viewer.waitForSelector('#reconnecting', { state: 'hidden', timeout: 30_000 });
    }
    console.log(`path recovery after packets flow again: ${recover.map((r) => r.toFixed(0)).join(' ')} ms`);
    rows.push(distribution('path_recovery_ms', 'peerdesk', recover), distribution('path_drop_detect_ms', 'chromium', detect));
  } finally {
    await harness.stop();
    await redis.stop();
  }
  publish(
    'recovery',
    {
      runs: RUNS,
      store: 'redis',
      resume: 'SIGKILL of the signaling process, restarted at once on the same port; until both pages show online',
      path: 'all UDP dropped until the viewer shows Reconnecting…, then restored; until a new colour is shown',
      reconnect_backoff: '250 ms × 2^n, ≤ 1 s, full jitter (0.5–1×)',
    },
    rows,
  );
}
