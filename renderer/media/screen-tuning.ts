import { fixedResolution, naiveProfile } from '../instrumented';
import { adaptToLink } from './link-adapter';

/**
 * How PeerDesk tunes WebRTC for screen content. Figures behind the choices are in the README.
 * The benchmark's naive profile (instrumented build only) turns every tuning off
 * (getDisplayMedia with no constraints → default simple-peer/RTCPeerConnection).
 */

export const SCREEN_CAPTURE_CONSTRAINTS: MediaTrackConstraints = {
  frameRate: { ideal: 60, max: 60 },
  width: { max: 3840 },
  height: { max: 2160 },
};

/** Enough for crisp 1080p text at 60 fps on a LAN; the encoder uses far less on a static screen. */
export const MAX_VIDEO_BITRATE_BPS = 12_000_000;

export const captureConstraints = (): MediaTrackConstraints | true => (naiveProfile ? true : SCREEN_CAPTURE_CONSTRAINTS);

export function tuneCapturedTrack(track: MediaStreamTrack): void {
  if (naiveProfile) return;
  // 'detail' makes the encoder keep text sharp and drop frames rather than resolution.
  if ('contentHint' in track) track.contentHint = 'detail';
}

/** Sender parameters: bitrate ceiling, frame rate, keep resolution under congestion; the first frame as VP8, then VP9. */
export async function tuneVideoSender(sender: RTCRtpSender): Promise<void> {
  if (naiveProfile) return;
  const params = tunedParameters(sender);
  // The SDP puts the fast-start codec first (tuneSdp), so the sender starts with it and no other encoder is built
  // before the first frame. Named here only if the other side's answer put another codec first.
  const startsFast = sendCodec(params) === FAST_START_CODEC.toLowerCase() || withCodec(params, FAST_START_CODEC);
  try {
    await sender.setParameters(params);
  } catch {
    // A browser that cannot pick a codec per encoding: the same tuning on the negotiated codec, for the whole session.
    return void (await sender.setParameters(tunedParameters(sender)));
  }
  // Once the first frame is out; a sender closed meanwhile (the session ended) throws, and nothing is left to do.
  if (startsFast) await switchCodecAfterFirstFrame(sender, SCREEN_CODEC).catch(() => undefined);
  // For the rest of the session: the resolution a busy screen can have on this link (link-adaptation.ts). Measured
  // under a 4 Mbit/s cap with 1 % and 3 % loss it doubled the frame rate and shortened the longest freeze by two
  // thirds against full resolution (README, constrained network).
  if (!fixedResolution) void adaptToLink(sender).catch(() => undefined);
}

function tunedParameters(sender: RTCRtpSender): RTCRtpSendParameters {
  const params = sender.getParameters();
  if (!params.encodings?.length) params.encodings = [{}];
  for (const e of params.encodings) {
    e.maxBitrate = MAX_VIDEO_BITRATE_BPS;
    e.maxFramerate = 60;
    e.priority = 'high';
    e.networkPriority = 'high';
  }
  (params as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference = 'maintain-resolution';
  return params;
}

/** Receiver side: render each frame as soon as it is decoded. */
export function tuneVideoReceiver(receiver: RTCRtpReceiver): void {
  if (naiveProfile) return;
  const r = receiver as RTCRtpReceiver & { playoutDelayHint?: number; jitterBufferTarget?: number | null };
  if ('jitterBufferTarget' in r) r.jitterBufferTarget = 0;
  if ('playoutDelayHint' in r) r.playoutDelayHint = 0;
}

/**
 * Bandwidth-estimation hints (kbit/s) written into every local SDP for the video codecs. The floor keeps pacing fast
 * on a mostly static screen; the start sits just above it, not far above a home link: starting at 8 Mbit/s on a
 * 4 Mbit/s link left the estimate at 1–2 Mbit/s in most sessions, where a busy screen leaves as a few huge frames
 * (freezes of 120–280 ms) instead of ~40 small ones a second (README, constrained network).
 */
export const BITRATE_HINTS_KBPS = { start: 3000, min: 2500, max: MAX_VIDEO_BITRATE_BPS / 1000 };

/** The codec of screen content once the first frame is out, and why: see the README's constrained-network figures. */
export const SCREEN_CODEC = 'VP9';

/**
 * The codec of the session's first frames, offered first. Here Chromium's VP9 encoder takes ~0.2–0.3 s longer than
 * VP8's to start and to encode its first keyframe (the time to first frame's longest stage), so the first frame goes
 * as VP8 and the sender switches to VP9 once it is out — per encoding, with setParameters, without renegotiating.
 * VP8 is first in the SDP itself, not only picked per encoding after the answer: with VP9 first the sender built a
 * VP9 encoder for the first captured frame (the track is on the sender before the answer), and the VP8 one only after
 * it, on the same queue (issue 28).
 */
export const FAST_START_CODEC = 'VP8';

type EncodingWithCodec = RTCRtpEncodingParameters & { codec?: RTCRtpCodec };

/** The codec the sender uses when no encoding names one: the first negotiated (lower case, no `video/`). */
function sendCodec(params: RTCRtpSendParameters): string | undefined {
  return params.codecs?.[0]?.mimeType.toLowerCase().replace(/^video\//, '');
}

/** Points every encoding at the negotiated codec named `name`; false if it was not negotiated. */
function withCodec(params: RTCRtpSendParameters, name: string): boolean {
  const codec = params.codecs?.find((c) => c.mimeType.toLowerCase() === `video/${name.toLowerCase()}`);
  if (!codec) return false;
  for (const e of params.encodings as EncodingWithCodec[])
    e.codec = { mimeType: codec.mimeType, clockRate: codec.clockRate, sdpFmtpLine: codec.sdpFmtpLine };
  return true;
}

/** How often the sender's stats are read while waiting for the first frame to leave, and for how long at most. */
const FIRST_FRAME_POLL_MS = 25;
const FIRST_FRAME_WAIT_MS = 15_000;

async function switchCodecAfterFirstFrame(sender: RTCRtpSender, name: string): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < FIRST_FRAME_WAIT_MS && !(await framesSent(sender)))
    await new Promise((resolve) => setTimeout(resolve, FIRST_FRAME_POLL_MS));
  const params = sender.getParameters();
  if (withCodec(params, name)) await sender.setParameters(params);
}

async function framesSent(sender: RTCRtpSender): Promise<number> {
  let sent = 0;
  (await sender.getStats()).forEach((s: { type: string; framesSent?: number }) => {
    if (s.type === 'outbound-rtp') sent += s.framesSent ?? 0;
  });
  return sent;
}

/**
 * Puts `codec`'s payload types first on the video m-line, keeping every other codec as a fallback. VP9 goes right
 * after the fast-start VP8: Chromium's libvpx VP9 encodes screen content far smaller than VP8: measured at the glass
 * under a 4 Mbit/s cap, a full-screen colour change went out as ~25 ms of packets with VP9 and ~60 ms with VP8, and
 * the small frames also keep the receiver's jitter estimate (which grows with the largest frame) from delaying every
 * frame after.
 */
function preferCodec(lines: string[], codec: string): string[] {
  const first = lines.map((l) => new RegExp(`^a=rtpmap:(\\d+) ${codec}/`, 'i').exec(l)?.[1]).filter((pt): pt is string => !!pt);
  if (!first.length) return lines;
  return lines.map((l) => {
    const m = /^(m=video \S+ \S+) (.*)$/.exec(l);
    return m ? [m[1], ...first, ...m[2].split(' ').filter((pt) => !first.includes(pt))].join(' ') : l;
  });
}

/**
 * VP8 then VP9 first (`preferCodec`), and a high start and floor for the bandwidth estimate. Chromium paces packets at a
 * multiple of the estimate, and the estimate barely rises on a mostly static screen;
 * a full-screen change then leaves as a burst spread over tens of milliseconds. With
 * a LAN-sized floor the whole frame goes out at once (see the README's breakdown). Measured under a 4 Mbit/s cap,
 * dropping the floor made every figure worse (glass-to-glass, freezes), so it stays.
 */
export function tuneSdp(sdp: string): string {
  if (naiveProfile) return sdp;
  const hints = `x-google-start-bitrate=${BITRATE_HINTS_KBPS.start};x-google-min-bitrate=${BITRATE_HINTS_KBPS.min};x-google-max-bitrate=${BITRATE_HINTS_KBPS.max}`;
  const lines = preferCodec(preferCodec(sdp.split('\r\n'), SCREEN_CODEC), FAST_START_CODEC);
  const videoCodecs = new Set<string>();
  for (const l of lines) {
    const m = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1)\//i.exec(l);
    if (m) videoCodecs.add(m[1]);
  }
  const out: string[] = [];
  const withFmtp = new Set<string>();
  for (const l of lines) {
    const f = /^a=fmtp:(\d+) (.*)$/.exec(l);
    if (f && videoCodecs.has(f[1])) {
      withFmtp.add(f[1]);
      out.push(`${l};${hints}`);
    } else out.push(l);
  }
  return out
    .flatMap((l) => {
      const m = /^a=rtpmap:(\d+) /.exec(l);
      return m && videoCodecs.has(m[1]) && !withFmtp.has(m[1]) ? [l, `a=fmtp:${m[1]} ${hints}`] : [l];
    })
    .join('\r\n');
}
