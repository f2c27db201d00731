import { describe, expect, it } from 'vitest';
import { tuneSdp } from '../../../renderer/media/screen-tuning';

/** The video part of an offer as Chromium writes it: VP8 first, then VP9 and H.264, each with its RTX. */
const OFFER = [
  'v=0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:99 rtx/90000',
  'a=fmtp:99 apt=98',
  'a=rtpmap:100 H264/90000',
  'a=fmtp:100 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:101 rtx/90000',
  '',
].join('\r\n');

const videoLine = (sdp: string) => sdp.split('\r\n').find((l) => l.startsWith('m=video'));

describe('the codec order PeerDesk writes into its descriptions (issue 28, first frame)', () => {
  it('VP8 first, so the first encoder the sender builds is the fast-starting one; VP9, for the rest, right after', () => {
    expect(videoLine(tuneSdp(OFFER))).toBe('m=video 9 UDP/TLS/RTP/SAVPF 96 98 97 99 100 101');
  });

  it('the same order whatever order the other side wrote (an answer to a VP9-first offer)', () => {
    const vp9First = OFFER.replace('96 97 98 99 100 101', '98 99 100 101 96 97');
    expect(videoLine(tuneSdp(vp9First))).toBe('m=video 9 UDP/TLS/RTP/SAVPF 96 98 99 100 101 97');
  });

  it('every video codec carries the bandwidth-estimate hints, RTX none', () => {
    const tuned = tuneSdp(OFFER);
    expect(tuned).toMatch(/a=fmtp:96 x-google-start-bitrate=3000;/);
    expect(tuned).toMatch(/a=fmtp:98 profile-id=0;x-google-start-bitrate=3000;/);
    expect(tuned).not.toMatch(/a=fmtp:97 apt=96;x-google/);
  });
});
