import type { Page } from 'playwright-core';

type Stats = Record<string, number | string | undefined>;
/** The video sender's and receiver's cumulative counters at one moment. */
export interface RtpSnapshot {
  at: number;
  out?: Stats;
  inn?: Stats;
}

async function read(page: Page, type: string): Promise<Stats | undefined> {
  return page.evaluate(async (t) => {
    const pcs = (window as never as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState === 'connected');
    for (const pc of pcs) {
      const report = await pc.getStats();
      for (const s of report.values()) if (s.type === t && s.kind === 'video') return { ...s, codec: report.get(s.codecId)?.mimeType };
    }
    return undefined;
  }, type);
}

export async function rtpSnapshot(host: Page, viewer: Page): Promise<RtpSnapshot> {
  return { at: performance.now(), out: await read(host, 'outbound-rtp'), inn: await read(viewer, 'inbound-rtp') };
}

/**
 * Per-frame stage times and loss-recovery counts between two snapshots (from the start of the session when `since`
 * is left out): getStats() counters are cumulative, so only a difference says what a phase cost.
 */
export function stagesBetween(to: RtpSnapshot, since?: RtpSnapshot) {
  const d = (side: 'out' | 'inn', key: string) => {
    const b = to[side]?.[key];
    const a = since?.[side]?.[key] ?? 0;
    return typeof b === 'number' && typeof a === 'number' ? b - a : undefined;
  };
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? a / b : undefined);
  /** Seconds per item, as milliseconds. */
  const per = (a?: number, b?: number) => {
    const r = ratio(a, b);
    return r === undefined ? undefined : r * 1000;
  };
  const seconds = since ? (to.at - since.at) / 1000 : undefined;
  return {
    encode_ms: per(d('out', 'totalEncodeTime'), d('out', 'framesEncoded')),
    pacer_send_delay_ms: per(d('out', 'totalPacketSendDelay'), d('out', 'packetsSent')),
    encoder: to.out?.encoderImplementation,
    codec: to.out?.codec,
    assembly_ms: per(d('inn', 'totalAssemblyTime'), d('inn', 'framesAssembledFromMultiplePackets')),
    jitter_buffer_ms: per(d('inn', 'jitterBufferDelay'), d('inn', 'jitterBufferEmittedCount')),
    decode_ms: per(d('inn', 'totalDecodeTime'), d('inn', 'framesDecoded')),
    processing_ms: per(d('inn', 'totalProcessingDelay'), d('inn', 'framesDecoded')),
    decoder: to.inn?.decoderImplementation,
    frame: to.out ? `${to.out.frameWidth}x${to.out.frameHeight}` : undefined,
    quality_limitation: to.out?.qualityLimitationReason,
    kbps: seconds ? ((d('inn', 'bytesReceived') ?? 0) * 8) / seconds / 1000 : undefined,
    kib_per_frame: (ratio(d('out', 'bytesSent'), d('out', 'framesEncoded')) ?? NaN) / 1024,
    // What the encoder was asked for and what it made of it: frames it encoded per second (the capture runs at up
    // to 60), its target at the end of the phase, and frames over 2.5× the average size (each takes long to cross).
    encoded_fps: seconds ? (d('out', 'framesEncoded') ?? 0) / seconds : undefined,
    target_kbps: typeof to.out?.targetBitrate === 'number' ? to.out.targetBitrate / 1000 : undefined,
    huge_frames: d('out', 'hugeFramesSent'),
    nacks: d('inn', 'nackCount'),
    plis: d('inn', 'pliCount'),
    packets_lost: d('inn', 'packetsLost'),
    retransmitted_packets: d('out', 'retransmittedPacketsSent'),
    frames_dropped: d('inn', 'framesDropped'),
  };
}
