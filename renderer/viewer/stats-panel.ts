import { formatBitrate } from '../format';
import { StatsSampler } from '../media/connection-stats';
import { h } from '../ui/dom';

/** Resolution, fps, RTT, bitrate and candidate type, refreshed each second while shown. */
export class StatsPanel {
  readonly element = h('dl', { class: 'stats', id: 'stats-panel', hidden: true });
  private timer?: ReturnType<typeof setInterval>;
  private readonly sampler: StatsSampler;
  /** What the host applied (the viewer's choice, confirmed). */
  private quality = 'Sharp text';

  setQuality(label: string): void {
    this.quality = label;
    void this.refresh();
  }

  constructor(pc: RTCPeerConnection) {
    this.sampler = new StatsSampler(pc);
    this.timer = setInterval(() => void this.refresh(), 1000);
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const s = await this.sampler.sample().catch(() => undefined);
    if (!s || this.element.hidden) return;
    const row = (k: string, v: string, id: string) => [h('dt', {}, k), h('dd', { id }, v)];
    this.element.replaceChildren(
      ...row('Resolution', s.width ? `${s.width}×${s.height}` : '—', 'stat-resolution'),
      ...row('Frame rate', s.fps !== undefined ? `${Math.round(s.fps)} fps` : '—', 'stat-fps'),
      ...row('Round trip', s.rttMs !== undefined ? `${s.rttMs.toFixed(1)} ms` : '—', 'stat-rtt'),
      ...row('Bitrate', s.bitrateBps !== undefined ? formatBitrate(s.bitrateBps) : '—', 'stat-bitrate'),
      ...row('Path', s.candidateType ?? '—', 'stat-candidate'),
      ...row('Quality', this.quality, 'stat-quality'),
    );
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
