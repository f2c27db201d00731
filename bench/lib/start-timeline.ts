import type { Page } from 'playwright-core';

/**
 * Init script for both pages of a session: notes (epoch ms, `window.__t`) when the page's first peer connection is
 * made, when it connects (ICE + DTLS done), when the host's capture starts, when its track reaches the sender, when
 * the sender gets its first captured frame and when the first encoded frame leaves (the host's getStats, polled),
 * so time to first frame can be split into the stages the issue names.
 */
export const START_TIMELINE = `(() => {
  const at = () => performance.timeOrigin + performance.now();
  const t = (window.__t = {});
  const O = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...a) {
    const pc = new O(...a);
    t.pcCreated ||= at();
    pc.addEventListener('connectionstatechange', () => pc.connectionState === 'connected' && (t.connected ||= at()));
    return pc;
  };
  window.RTCPeerConnection.prototype = O.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, O);
  const replace = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = function (track) {
    if (track && !t.trackAttached) {
      t.trackAttached = at();
      // Host only, from here until the first frame leaves: a getStats every 20 ms. Chromium refreshes stats at most every
      // 50 ms, so these two stamps are late by up to that much (the split from them is approximate).
      const poll = setInterval(async () => {
        (await this.getStats()).forEach((r) => {
          if (r.type === 'media-source' && r.kind === 'video' && r.frames > 0) t.firstSourceFrame ||= at();
          if (r.type === 'outbound-rtp' && r.framesSent > 0) t.firstFrameSent ||= at();
        });
        if (t.firstFrameSent) clearInterval(poll);
      }, 20);
    }
    return replace.call(this, track);
  };
  // The host's join.request: splits join → prompt into the signaling hop and the host's own UI.
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, ...rest) {
    if (type !== 'message') return listen.call(this, type, fn, ...rest);
    return listen.call(this, type, (e) => {
      if (typeof e.data === 'string' && e.data.includes('"join.request"')) t.joinRequest ||= at();
      return fn.call(this, e);
    }, ...rest);
  };
  const gdm = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getDisplayMedia = (c) => ((t.gdmCalled ||= at()), gdm(c)).then((s) => ((t.captured ||= at()), s));
})()`;

export interface StartMarks {
  submitAt: number;
  promptAt: number;
  allowAt: number;
  firstFrameAt: number;
  host: Record<string, number>;
  viewer: Record<string, number>;
}

/**
 * Time to first frame cut into stages, each measured from the step before it (ms). The prompt's own wait (its input
 * delay, a person reading it) is left out, as in time to first frame itself.
 */
export function startStages(m: StartMarks): Record<string, number> {
  const afterAllow = (t: number) => t - m.allowAt;
  return {
    join_to_prompt: m.promptAt - m.submitAt,
    join_to_request: m.host.joinRequest - m.submitAt,
    request_to_prompt: m.promptAt - m.host.joinRequest,
    allow_to_capture_call: afterAllow(m.host.gdmCalled),
    capture_call_to_capture: m.host.captured - m.host.gdmCalled,
    // PeerDesk makes its peer connection while the prompt is open (before Allow), the baseline after it.
    allow_to_host_peer: afterAllow(m.host.pcCreated),
    allow_to_connected: afterAllow(m.viewer.connected),
    connected_to_first_frame: m.firstFrameAt - m.viewer.connected,
    allow_to_track_attached: afterAllow(m.host.trackAttached),
    track_attached_to_first_frame: m.firstFrameAt - m.host.trackAttached,
    track_attached_to_source_frame: m.host.firstSourceFrame - m.host.trackAttached,
    source_frame_to_frame_sent: m.host.firstFrameSent - m.host.firstSourceFrame,
    allow_to_first_frame: afterAllow(m.firstFrameAt),
  };
}

export const readTimeline = (page: Page) => page.evaluate(() => (window as never as { __t: Record<string, number> }).__t);
