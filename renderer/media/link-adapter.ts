import { adapt, type AdaptationState, initialAdaptation, linkWindow, type SenderCounters } from './link-adaptation';

/** How often the sender's stats are read: long enough to average a busy screen's frames, short enough to react. */
export const ADAPT_EVERY_MS = 1000;

type StatsEntry = Record<string, unknown> & { type: string; id: string };
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The video sender's counters from one `sender.getStats()` report; undefined before anything was encoded. */
export function senderCounters(report: {
  forEach(cb: (s: StatsEntry) => void): void;
  get?(id: string): unknown;
}): SenderCounters | undefined {
  let out: StatsEntry | undefined;
  let source: StatsEntry | undefined;
  let pair: StatsEntry | undefined;
  let remote: StatsEntry | undefined;
  report.forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') out = s;
    else if (s.type === 'media-source' && s.kind === 'video') source = s;
    else if (s.type === 'remote-inbound-rtp' && s.kind === 'video') remote = s;
    else if (s.type === 'candidate-pair' && (s.nominated || s.selected) && s.state === 'succeeded') pair = s;
  });
  if (!out || num(out.framesEncoded) === undefined) return undefined;
  return {
    at: num(out.timestamp) ?? 0,
    framesEncoded: num(out.framesEncoded) ?? 0,
    bytesSent: num(out.bytesSent) ?? 0,
    totalEncodeTime: num(out.totalEncodeTime) ?? 0,
    framesCaptured: num(source?.frames),
    availableBps: num(pair?.availableOutgoingBitrate) ?? num(out.targetBitrate),
    fractionLost: num(remote?.fractionLost),
  };
}

/**
 * Keeps the sender's resolution where a busy screen fits the link and the CPU (link-adaptation.ts), until the
 * sender stops (the session ended: getStats or setParameters throws, or the track is gone). Only
 * `scaleResolutionDownBy` is touched, so the viewer's quality choice (bitrate, frame rate) stays as set.
 */
export async function adaptToLink(sender: RTCRtpSender, everyMs = ADAPT_EVERY_MS): Promise<void> {
  let state: AdaptationState = initialAdaptation();
  let last: SenderCounters | undefined;
  while (sender.track && sender.transport?.state !== 'closed') {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const now = senderCounters((await sender.getStats()) as never);
    const window = last && now && linkWindow(last, now);
    last = now;
    if (!window) continue;
    window.maxFps = sender.getParameters().encodings?.[0]?.maxFramerate;
    const next = adapt(state, window);
    if (next.scale !== state.scale) await setScale(sender, next.scale);
    state = next;
  }
}

async function setScale(sender: RTCRtpSender, scale: number): Promise<void> {
  const params = sender.getParameters();
  for (const e of params.encodings ?? []) e.scaleResolutionDownBy = scale;
  await sender.setParameters(params);
}
