import type { QualityMode } from '../../protocol/toolkit-messages';
import { MAX_VIDEO_BITRATE_BPS } from './screen-tuning';

type Degradation = 'maintain-resolution' | 'maintain-framerate' | 'balanced';

/**
 * The viewer's three choices as sender parameters. "Sharp text" (the default, what tuneVideoSender sets up) keeps
 * every pixel and lets the frame rate give;
 * "Smooth motion" keeps 60 fps and lets resolution give; "Low bandwidth" caps the bitrate and frame rate for a
 * slow link. Applied with setParameters: no renegotiation, the picture never stops.
 */
export const QUALITY_PRESETS: Record<QualityMode, { label: string; maxBitrate: number; maxFramerate: number; degradation: Degradation }> = {
  sharp: { label: 'Sharp text', maxBitrate: MAX_VIDEO_BITRATE_BPS, maxFramerate: 60, degradation: 'maintain-resolution' },
  smooth: { label: 'Smooth motion', maxBitrate: MAX_VIDEO_BITRATE_BPS, maxFramerate: 60, degradation: 'maintain-framerate' },
  'low-bandwidth': { label: 'Low bandwidth', maxBitrate: 600_000, maxFramerate: 15, degradation: 'balanced' },
};

export async function applyQuality(sender: RTCRtpSender, mode: QualityMode): Promise<void> {
  const preset = QUALITY_PRESETS[mode];
  const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: Degradation };
  if (!params.encodings?.length) params.encodings = [{}];
  for (const e of params.encodings) {
    e.maxBitrate = preset.maxBitrate;
    e.maxFramerate = preset.maxFramerate;
  }
  params.degradationPreference = preset.degradation;
  await sender.setParameters(params);
}
