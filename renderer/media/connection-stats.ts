/** What the viewer's stats panel shows, read from `getStats()`. */
export interface ConnectionSummary {
  width?: number;
  height?: number;
  fps?: number;
  rttMs?: number;
  bitrateBps?: number;
  candidateType?: string;
  framesDecoded?: number;
}

export class StatsSampler {
  private lastBytes?: { bytes: number; at: number };

  constructor(private readonly pc: RTCPeerConnection) {}

  async sample(): Promise<ConnectionSummary> {
    const report = await this.pc.getStats();
    const out: ConnectionSummary = {};
    let pair: RTCIceCandidatePairStats | undefined;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.width = s.frameWidth;
        out.height = s.frameHeight;
        out.fps = s.framesPerSecond;
        out.framesDecoded = s.framesDecoded;
        const now = s.timestamp as number;
        if (this.lastBytes && now > this.lastBytes.at)
          out.bitrateBps = ((s.bytesReceived - this.lastBytes.bytes) * 8 * 1000) / (now - this.lastBytes.at);
        this.lastBytes = { bytes: s.bytesReceived, at: now };
      }
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
    });
    if (!pair) report.forEach((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && (pair = s));
    if (pair) {
      out.rttMs = pair.currentRoundTripTime !== undefined ? pair.currentRoundTripTime * 1000 : undefined;
      out.candidateType = report.get(pair.localCandidateId)?.candidateType;
    }
    return out;
  }
}
