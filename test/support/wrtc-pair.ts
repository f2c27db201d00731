import wrtc from '@roamhq/wrtc';

/**
 * Two real WebRTC peer connections (libwebrtc through @roamhq/wrtc) joined in this process over loopback, for
 * renderer modules that take an RTCPeerConnection: each side creates its negotiated data channels on its own
 * connection before `connect()`, as the app does.
 */
export function wrtcPair(): { a: RTCPeerConnection; b: RTCPeerConnection; connect(): Promise<void>; close(): void } {
  const a = new wrtc.RTCPeerConnection() as unknown as RTCPeerConnection;
  const b = new wrtc.RTCPeerConnection() as unknown as RTCPeerConnection;
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  const opened = (pc: RTCPeerConnection) =>
    new Promise<void>((resolve, reject) => {
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('peer connection failed'));
      };
    });
  return {
    a,
    b,
    async connect() {
      const both = Promise.all([opened(a), opened(b)]);
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      await both;
    },
    close() {
      a.close();
      b.close();
    },
  };
}

/** Resolves once a negotiated data channel is open. */
export function channelOpen(pc: RTCPeerConnection, id: number): Promise<RTCDataChannel> {
  const channel = pc.createDataChannel(`raw-${id}`, { negotiated: true, id, ordered: true });
  return new Promise((resolve) => (channel.onopen = () => resolve(channel)));
}
