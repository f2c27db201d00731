/**
 * How a file goes onto the files channel, per setting. Measured on 2026-12-06 and 2026-12-07 (bench/file-transfer.ts,
 * busy screen, 1280×800, 2 shared cores): every byte on the data channel costs CPU on both ends outside the page's
 * JavaScript — the SCTP thread, and each UDP packet's trip to the network service process — and on two cores that
 * CPU is the video encoder's and decoder's, so the frame rate falls while a transfer runs, whatever the messages'
 * size. The default caps the rate, so a transfer takes that CPU in a steady trickle rather than all it can get; on the
 * benchmark's loaded 2-core machine that has not yet been shown to keep more frames (README, "Where the time goes").
 *
 * - `smooth` (default): paced to `bytesPerSecond` (1.5 MiB/s: a 50 MiB file in about half a minute), 64 KiB
 *   messages (a control message on the other channel waits at most one of them), a queue just deep enough that the
 *   pace, not a late drain event, sets the rate (512 KiB queued held a busy machine to 1.1 MiB/s under its cap).
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
  /** Cap on the average rate; none = as fast as the channel drains. */
  bytesPerSecond?: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Chromium's data channel refuses a send that would take its queue past 16 MiB ("RTCDataChannel send queue is
 * full": the transfer failed as soon as a receiver was slower than the sender). A message goes only while the queue
 * with it stays within the setting's `highWater`, and every setting's is well below this.
 */
export const SEND_QUEUE_LIMIT = 16 * MIB;

export const TRANSFER_PACES: Record<TransferPaceName, TransferPace> = {
  smooth: { messageBytes: 64 * KIB, highWater: 2 * MIB, lowWater: 1 * MIB, bytesPerSecond: 1.5 * MIB },
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
    private readonly bytesPerSecond: number | undefined,
    private readonly burstBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burstBytes;
    this.last = now();
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
