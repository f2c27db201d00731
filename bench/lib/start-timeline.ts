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
    pc.addEventListener('iceconnectionstatechange', () => pc.iceConnectionState === 'connected' && (t.iceConnected ||= at()));
    pc.addEventListener('track', () => (t.trackEvent ||= at()));
    // From the moment the connection has both descriptions (after Allow in every variant) until the first frame has
    // left (host) or been decoded (viewer): a getStats every 20 ms. Chromium refreshes stats at most every 50 ms, so
    // these stamps are late by up to that much (the split from them is approximate).
    pc.addEventListener('signalingstatechange', function once() {
      if (!pc.remoteDescription) return;
      pc.removeEventListener('signalingstatechange', once);
      const until = at() + 30000;
      // One read at a time: on a loaded machine a getStats can take longer than the period, and piled-up reads would
      // load the very path they time.
      const poll = async () => {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type === 'media-source' && r.kind === 'video' && r.frames > 0) t.firstSourceFrame ||= at();
          if (r.type === 'outbound-rtp' && r.framesEncoded > 0) t.firstFrameEncoded ||= at();
          if (r.type === 'outbound-rtp' && r.framesSent > 0) {
            t.firstFrameSent ||= at();
            t.firstCodec ||= stats.get(r.codecId)?.mimeType;
          }
          if (r.type === 'outbound-rtp' && r.keyFramesEncoded > 1) t.secondKeyFrame ||= at();
          if (r.type === 'outbound-rtp' && (r.pliCount > 0 || r.firCount > 0)) t.keyFrameAsked ||= at();
          if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesReceived > 0) t.firstFrameReceived ||= at();
          if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0) t.firstFrameDecoded ||= at();
          if (r.type === 'inbound-rtp' && r.kind === 'video' && (r.pliCount > 0 || r.firCount > 0)) t.keyFrameAsked ||= at();
        });
        const done = t.firstFrameSent || t.firstFrameDecoded;
        if (at() < Math.min(until, done ? done + 1000 : until) && pc.signalingState !== 'closed') setTimeout(poll, 20);
      };
      void poll();
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = O.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, O);
  const replace = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = function (track) {
    if (track && !t.trackAttached) t.trackAttached = at();
    return replace.call(this, track);
  };
  // Signaling frames both ways, by what they carry: the host's decision and admission, the offer, the answer.
  const FRAMES = { '"join.request"': 'joinRequest', 'host.decide': 'decideSent', 'peer.admitted': 'admitted',
    'join.accepted': 'joinAccepted', '"type":"offer"': 'offer', '"type":"answer"': 'answer', '"type":"signal"': 'signal' };
  const note = (dir, data) => {
    if (typeof data !== 'string') return;
    for (const [k, name] of Object.entries(FRAMES)) if (data.includes(k)) t[name + dir] ||= at();
  };
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, ...rest) {
    if (type !== 'message') return listen.call(this, type, fn, ...rest);
    return listen.call(this, type, (e) => {
      note('In', e.data);
      return fn.call(this, e);
    }, ...rest);
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    note('Out', data);
    return send.call(this, data);
  };
  // The viewer's picture: when the first frame's last packet came in, and when the compositor presented it.
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    set(v) {
      srcObject.set.call(this, v);
      if (v && this.id === 'remote-video' && !t.remoteVideo) {
        t.remoteVideo = at();
        this.requestVideoFrameCallback((now, m) => {
          t.frameCallback = at();
          if (m.receiveTime) t.frameReceiveTime = performance.timeOrigin + m.receiveTime;
          t.framePresented = performance.timeOrigin + m.presentationTime;
          t.frameExpectedDisplay = performance.timeOrigin + m.expectedDisplayTime;
        });
      }
    },
  });
  // Where each page's main thread was busy (long animation frames, with the scripts that ran in them).
  t.busy = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => t.busy.push({
    at: performance.timeOrigin + e.startTime, ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
    render: Math.round(e.startTime + e.duration - e.renderStart),
    scripts: (e.scripts || []).map((x) => Math.round(x.duration) + ' ' + (x.invoker || '') + ' ' + (x.sourceFunctionName || '')),
  }))).observe({ type: 'long-animation-frame', buffered: true });
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
    join_to_request: m.host.joinRequestIn - m.submitAt,
    request_to_prompt: m.promptAt - m.host.joinRequestIn,
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

/**
 * Every step after Allow on one time line (ms after the click; negative: before it), host and viewer: where the time
 * between the click and the first frame at the glass goes (issue 28, "First frame").
 */
export function afterAllowTimeline(m: StartMarks): Record<string, number> {
  const rel = (v: number | undefined) => (v === undefined ? NaN : v - m.allowAt);
  const host = [
    'decideSentOut',
    'admittedIn',
    'signalOut',
    'answerIn',
    'iceConnected',
    'connected',
    'trackAttached',
    'firstSourceFrame',
    'firstFrameEncoded',
    'firstFrameSent',
    'secondKeyFrame',
    'keyFrameAsked',
  ];
  const viewer = [
    'joinAcceptedIn',
    'pcCreated',
    'offerIn',
    'trackEvent',
    'answerOut',
    'iceConnected',
    'connected',
    'remoteVideo',
    'firstFrameReceived',
    'frameReceiveTime',
    'firstFrameDecoded',
    'framePresented',
    'frameCallback',
    'keyFrameAsked',
  ];
  return {
    ...Object.fromEntries(host.map((k) => [`host_${k}`, rel(m.host[k])])),
    ...Object.fromEntries(viewer.map((k) => [`viewer_${k}`, rel(m.viewer[k])])),
    glass: rel(m.firstFrameAt),
  };
}

/** BENCH_DEBUG: one session's busy main-thread frames from just before Allow on, on the Allow time line. */
export function busyAfterAllow(m: StartMarks): string[] {
  const lines: string[] = [];
  for (const side of ['host', 'viewer'] as const) {
    const busy = (m[side] as unknown as { busy?: Array<{ at: number; ms: number; render: number; scripts: string[] }> }).busy ?? [];
    for (const b of busy)
      if (b.at > m.allowAt - 100 && b.at < m.firstFrameAt)
        lines.push(`${side} +${Math.round(b.at - m.allowAt)} ${b.ms} ms (render ${b.render}): ${b.scripts.join(' | ')}`);
  }
  return lines;
}

export const readTimeline = (page: Page) => page.evaluate(() => (window as never as { __t: Record<string, number> }).__t);
