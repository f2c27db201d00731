import { describe, expect, it } from 'vitest';
import { PREPARED_LINK_MAX_AGE_MS, preparedLinkUsable, tuneOnAnswer } from '../../../renderer/host/host-link';

/**
 * The host link's decisions without a browser: which prepared link Allow may use, and when the sender is tuned.
 * The link itself (a real PeerLink in Chromium) is the e2e suites' (screen-sharing.test.ts: prepared while the prompt
 * is open, nothing of it sent before Allow).
 */
describe('a link prepared while the prompt is open', () => {
  const madeAt = 1_000_000;
  const prepared = { requestId: 'r1', madeAt, destroyed: false };

  it('carries the session Allow admits: same request, alive, within its age', () => {
    expect(preparedLinkUsable(prepared, 'r1', madeAt)).toBe(true);
    expect(preparedLinkUsable(prepared, 'r1', madeAt + PREPARED_LINK_MAX_AGE_MS)).toBe(true);
  });

  it('is thrown away for another request (a new technician asked meanwhile)', () => {
    expect(preparedLinkUsable(prepared, 'r2', madeAt + 1)).toBe(false);
  });

  it('is thrown away once it died', () => {
    expect(preparedLinkUsable({ ...prepared, destroyed: true }, 'r1', madeAt + 1)).toBe(false);
  });

  it('is thrown away past its age, before its TURN credentials (5 min) can run out', () => {
    expect(PREPARED_LINK_MAX_AGE_MS).toBeLessThan(5 * 60_000);
    expect(preparedLinkUsable(prepared, 'r1', madeAt + PREPARED_LINK_MAX_AGE_MS + 1)).toBe(false);
  });
});

/** A peer connection's signaling state and a video sender that counts how often it is tuned. */
function fakeLink() {
  const pc = Object.assign(new EventTarget(), {
    remoteDescription: null as RTCSessionDescription | null,
    signalingState: 'have-local-offer' as RTCSignalingState,
  });
  const sender = {
    tuned: 0,
    getParameters: () => ({ encodings: [{}], codecs: [] }) as unknown as RTCRtpSendParameters,
    setParameters: async () => void sender.tuned++,
  };
  const link = { pc: pc as unknown as RTCPeerConnection, videoSender: sender as unknown as RTCRtpSender | undefined };
  const answer = () => {
    pc.remoteDescription = { type: 'answer', sdp: '' } as RTCSessionDescription;
    pc.signalingState = 'stable';
    pc.dispatchEvent(new Event('signalingstatechange'));
  };
  return { pc, sender, link, answer };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the video sender is tuned', () => {
  it('once the answer is in, not before, and only once (a later renegotiation keeps its tuning)', async () => {
    const { pc, sender, link, answer } = fakeLink();
    tuneOnAnswer(link);
    pc.dispatchEvent(new Event('signalingstatechange')); // the offer went out: no answer yet
    await settle();
    expect(sender.tuned).toBe(0);
    answer();
    await settle();
    const afterAnswer = sender.tuned;
    expect(afterAnswer).toBeGreaterThan(0);
    pc.dispatchEvent(new Event('signalingstatechange'));
    await settle();
    expect(sender.tuned).toBe(afterAnswer);
  });

  it('waits for a video sender when the answer comes before the track is attached', async () => {
    const { sender, link, answer } = fakeLink();
    link.videoSender = undefined;
    tuneOnAnswer(link);
    answer();
    await settle();
    link.videoSender = sender as unknown as RTCRtpSender;
    answer();
    await settle();
    expect(sender.tuned).toBeGreaterThan(0);
  });
});
