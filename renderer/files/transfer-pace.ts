import type { PaceControl } from './pace-controller';

/**
 * How a file goes onto the files channel, per setting. Measured on 2026-12-06 and 2026-12-07 (bench/file-transfer.ts,
 * busy screen, 1280×800, 2 shared cores): every byte on the data channel costs CPU on both ends outside the page's
 * JavaScript — the SCTP thread, and each UDP packet's trip to the network service process — and on two cores that
 * CPU is the video encoder's and decoder's, so the frame rate falls while a transfer runs, whatever the messages'
 * size. A fixed cap (1.5 MiB/s) did not keep frames on the benchmark's loaded machine: how much a byte costs in
 * frames depends on the machine and on what else runs. So the default follows the video instead.
 *
 * - `smooth` (default): paced by the video's own frame rate (`follow`: pace-controller.ts, sampled by
 *   video-pace.ts): the rate grows while the frame rate holds near its level before the transfer and is cut when it
 *   drops; with no video stats, a fixed `bytesPerSecond`. 64 KiB messages (a control message on the other channel
 *   waits at most one of them), a queue just deep enough that the pace, not a late drain event, sets the rate.
 * - `fast`: as fast as the channel drains, messages as large as the connection allows (up to 256 KiB), up to 8 MiB
 *   queued.
 */
export type TransferPaceName = 'smooth' | 'fast';

export interface TransferPace {
  /** Data bytes per message (the 4-byte header comes on top), before the connection's own maximum. */
  messageBytes: number;
  /** Sending waits while the channel holds more than this… */
  highWater: number;
  /** …until it has drained to this (`bufferedAmountLowThreshold`). */
  lowWater: number;
  /** Cap on the average rate; none = as fast as the channel drains. With `follow`: the rate when stats give none. */
  bytesPerSecond?: number;
  /** Follow the video's frame rate (pace-controller.ts). */
  follow?: PaceControl;
}

const KIB = 1024;
const MIB = 1024 * KIB;
/** The default's rate when there is no video to follow (a 50 MiB file in about half a minute). */
const FIXED_SMOOTH_RATE = 1.5 * MIB;

/**
 * Chromium's data channel refuses a send that would take its queue past 16 MiB ("RTCDataChannel send queue is
 * full": the transfer failed as soon as a receiver was slower than the sender). A message goes only while the queue
 * with it stays within the setting's `highWater`, and every setting's is well below this.
 */
export const SEND_QUEUE_LIMIT = 16 * MIB;

export const TRANSFER_PACES: Record<TransferPaceName, TransferPace> = {
  smooth: {
    messageBytes: 64 * KIB,
    highWater: 2 * MIB,
    lowWater: 1 * MIB,
    bytesPerSecond: FIXED_SMOOTH_RATE,
    follow: {
      start: 1 * MIB,
      floor: 256 * KIB,
      ceiling: 64 * MIB,
      fallback: FIXED_SMOOTH_RATE,
      cutBelow: 0.88,
      growAbove: 0.94,
      cutFactor: 0.6,
      growFactor: 1.1,
      growStep: 128 * KIB,
      stillFps: 5,
      missingSamples: 3,
      referenceDecay: 0.25,
    },
  },
  fast: { messageBytes: 256 * KIB, highWater: 8 * MIB, lowWater: 2 * MIB },
};

export const DEFAULT_TRANSFER_PACE: TransferPaceName = 'smooth';

/** Data bytes per message: the setting's, within what the peer connection negotiated (SCTP max-message-size). */
export function messageBytesFor(pace: TransferPace, maxMessageSize: number | undefined, headerBytes: number): number {
  const max = maxMessageSize && Number.isFinite(maxMessageSize) && maxMessageSize > 0 ? maxMessageSize : 64 * KIB;
  return Math.max(1024, Math.min(pace.messageBytes, max - headerBytes));
}

/**
 * A token bucket over the bytes handed to the channel: `wait(n)` resolves when sending n more keeps the average at
 * the cap (a burst of one `burstBytes` is allowed).
 */
export class Pacer {
  private tokens: number;
  private last: number;

  constructor(
    private bytesPerSecond: number | undefined,
    private burstBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burstBytes;
    this.last = now();
  }

  /** A new rate from now on (the tokens earned so far at the old one are kept), with a new burst allowance. */
  setRate(bytesPerSecond: number, burstBytes: number): void {
    this.take(0);
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = burstBytes;
    this.tokens = Math.min(this.tokens, burstBytes);
  }

  /** Milliseconds to wait before `bytes` may go (0 = now); takes the tokens. */
  take(bytes: number): number {
    if (!this.bytesPerSecond) return 0;
    const t = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((t - this.last) * this.bytesPerSecond) / 1000);
    this.last = t;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.bytesPerSecond;
  }
}
