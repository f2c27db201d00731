/**
 * A helpdesk over a bad network (DESIGN.md §6): the same glass-to-glass flips as `glass`, under a 4 Mbit/s cap and
 * 0, 1 and 3 % random loss on loopback, PeerDesk vs the naive baseline vs noVNC. Per loss level: latency at the glass,
 * changes never shown, the longest freeze and the frame rate at the glass while the screen is busy, and for the
 * WebRTC variants the receiver's and sender's own figures (what the encoder chose, what loss recovery cost).
 * Writes bench/results/glass-lossy-<loss>.json, one file per loss level. Run: npm run bench -- lossy
 */
import { shownRegion, startGlassRig } from './glass-to-glass';
import { colourFlips } from './lib/colour-flips';
import { openSession, type Variant } from './lib/glass-sessions';
import { constrainLoopback } from '../test/support/network-conditions';
import { publish } from './lib/results';
import { rtpSnapshot, stagesBetween } from './lib/rtp-stages';
import { distribution, type Row, single } from './lib/stats';

const RATE_MBIT = 4;
const LOSSES = (process.env.BENCH_LOSSES ?? '0,1,3').split(',').map(Number);
const FLIPS = Number(process.env.BENCH_LOSSY_FLIPS ?? 90);
/** A change the viewer's display has not shown a second after it happened counts as missed. */
const MISSED_AFTER_MS = 1000;
const WARM_UP_MS = 4000;
const BUSY_MS = 8000;

export async function runLossy(): Promise<void> {
  const rig = await startGlassRig();
  const { harness, watch, screen } = rig;
  const only = process.env.BENCH_VARIANTS?.split(',');
  // peerdesk-fixed-resolution (link adaptation off, as PeerDesk shipped before) only when asked for.
  const variants = (['peerdesk', 'peerdesk-fixed-resolution', 'baseline', 'novnc'] as Variant[]).filter((v) =>
    only ? only.includes(v) : v !== 'peerdesk-fixed-resolution',
  );
  try {
    for (const loss of LOSSES) {
      const rows: Row[] = [];
      const link: Record<string, unknown> = {};
      const busyLink: Record<string, unknown> = {};
      for (const variant of variants) {
        const s = await openSession(harness, variant);
        const undo = constrainLoopback({ rateMbit: RATE_MBIT, lossPct: loss, tcpPorts: s.tcpPort ? [s.tcpPort] : [] });
        try {
          // The screen busy first, so the sender's rate estimate has found the cap before anything is timed.
          await screen.command('busy 1');
          await watch.frames(shownRegion(s), WARM_UP_MS);
          const beforeBusy = s.host && (await rtpSnapshot(s.host, s.viewer));
          const busy = await watch.frames(shownRegion(s), BUSY_MS);
          // What the sender chose while the screen was busy (the freeze and frame rate figures come from there).
          if (s.host) busyLink[variant] = stagesBetween(await rtpSnapshot(s.host, s.viewer), beforeBusy);
          await screen.command('busy 0');
          const before = s.host && (await rtpSnapshot(s.host, s.viewer));
          const flips = await colourFlips(s, screen, watch, { count: FLIPS, timeoutMs: MISSED_AFTER_MS, inPage: false });
          // What WebRTC itself says about the flips: what the sender chose, what loss recovery cost.
          if (s.host) link[variant] = stagesBetween(await rtpSnapshot(s.host, s.viewer), before);
          rows.push(
            distribution('glass_to_glass_lossy_ms', variant, flips.glass),
            single('missed_changes_lossy', variant, flips.missed),
            single('longest_freeze_lossy_ms', variant, busy.longestGapMs),
            single('fps_lossy', variant, busy.frames / (BUSY_MS / 1000)),
          );
        } finally {
          undo();
          await s.close();
        }
      }
      publish(
        `glass-lossy-${loss}`,
        {
          resolution: '1280x800',
          network: `loopback, tbf ${RATE_MBIT} Mbit/s burst 32 kbit latency 200 ms, MTU 1500, ${loss} % random loss (UDP, and noVNC's WebSocket port both ways)`,
          rate_mbit: RATE_MBIT,
          loss_pct: loss,
          flips: FLIPS,
          missed_after_ms: MISSED_AFTER_MS,
          busy_ms: BUSY_MS,
          probe: 'bench/x-pixel-observer.ts (own process, XDamage + 1×1 GetImage on the host and viewer displays)',
        },
        rows,
        { link, link_while_busy: busyLink },
      );
      console.table(link);
      console.table(busyLink);
    }
  } finally {
    await rig.stop();
  }
}
