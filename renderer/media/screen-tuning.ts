/**
 * How PeerDesk tunes WebRTC for screen content. The naive baseline skips all of
 * this; the benchmark compares the two. Figures behind the choices are in the README.
 */
export const SCREEN_CAPTURE_CONSTRAINTS: MediaTrackConstraints = {
  frameRate: { ideal: 60, max: 60 },
  width: { max: 3840 },
  height: { max: 2160 },
};

/** Enough for crisp 1080p text at 60 fps on a LAN; the encoder uses far less on a static screen. */
export const MAX_VIDEO_BITRATE_BPS = 12_000_000;

export function tuneCapturedTrack(track: MediaStreamTrack): void {
  // 'detail' makes the encoder keep text sharp and drop frames rather than resolution.
  if ('contentHint' in track) track.contentHint = 'detail';
}

/** Sender parameters: bitrate ceiling, frame rate, keep resolution under congestion. */
export async function tuneVideoSender(sender: RTCRtpSender): Promise<void> {
  const params = sender.getParameters();
  if (!params.encodings?.length) params.encodings = [{}];
  for (const e of params.encodings) {
    e.maxBitrate = MAX_VIDEO_BITRATE_BPS;
    e.maxFramerate = 60;
    e.priority = 'high';
    e.networkPriority = 'high';
  }
  (params as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference = 'maintain-resolution';
  await sender.setParameters(params);
}

/** Receiver side: render each frame as soon as it is decoded. */
export function tuneVideoReceiver(receiver: RTCRtpReceiver): void {
  const r = receiver as RTCRtpReceiver & { playoutDelayHint?: number; jitterBufferTarget?: number | null };
  if ('jitterBufferTarget' in r) r.jitterBufferTarget = 0;
  if ('playoutDelayHint' in r) r.playoutDelayHint = 0;
}
