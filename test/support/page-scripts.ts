/** Scripts the end-to-end harness runs in its pages before theirs (test/support/e2e-harness.ts). */

/**
 * Test instrumentation only: keeps the page's peer connections and data channels, so a test can read a sender's
 * parameters or close a channel under the app.
 */
export const PEER_INSTRUMENTATION = `{
  const Original = window.RTCPeerConnection;
  window.__pdChannels = [];
  window.__pdPeers = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pdPeers.push(this);
      this.addEventListener('datachannel', (e) => window.__pdChannels.push(e.channel));
    }
    createDataChannel(...args) {
      const channel = super.createDataChannel(...args);
      window.__pdChannels.push(channel);
      return channel;
    }
  };
}`;

/** Test instrumentation only: counts capture starts so a test can prove none happened. */
export const CAPTURE_COUNTER = `{
  window.__captureCalls = 0;
  const original = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getDisplayMedia = (c) => { window.__captureCalls++; return original(c); };
}`;

/**
 * `window.peerdesk` as preload builds it, over `__pdHost` and the input bridge. A string, not a function: the test
 * transpiler would wrap a function's inner names in helpers the page lacks.
 */
export function hostApiScript(bridge: string): string {
  return `{
    const bridge = new WebSocket('${bridge}');
    const pending = [];
    const toBridge = (m) => (bridge.readyState === 1 ? bridge.send(m) : pending.push(m));
    bridge.onopen = () => pending.splice(0).forEach((m) => bridge.send(m));
    const waiters = new Map();
    let rpcId = 0;
    bridge.onmessage = (e) => {
      const m = JSON.parse(e.data);
      const w = waiters.get(m.rpc);
      waiters.delete(m.rpc);
      if (m.ok) w.resolve(m.result); else w.reject(new Error(m.error));
    };
    const rpc = (op, args) => new Promise((resolve, reject) => {
      const id = ++rpcId;
      waiters.set(id, { resolve, reject });
      toBridge(JSON.stringify({ rpc: id, op, args }));
    });
    const host = (op, ...args) => window.__pdHost(op, args);
    window.peerdesk = {
      version: 1,
      listSources: (options) => rpc('listSources', [options]),
      selectSource: (id) => rpc('selectSource', [id]),
      signalingUrl: () => host('signalingUrl'),
      startControlSession: (name, identity) => host('startControlSession', name, identity),
      controlMessage: async (raw) => {
        window.__pdControlAt = performance.timeOrigin + performance.now();
        toBridge(raw);
      },
      saveFileBegin: (name, size) => rpc('begin', [name, size]),
      saveFileChunk: async (token, bytes) => {
        const frame = new Uint8Array(36 + bytes.length);
        frame.set(new TextEncoder().encode(token), 0);
        frame.set(bytes, 36);
        toBridge(frame);
      },
      saveFileFinish: (token, sha256) => rpc('finish', [token, sha256]),
      saveFileAbort: (token) => rpc('abort', [token]),
      readClipboard: () => host('readClipboard'),
      writeClipboard: (text) => host('writeClipboard', text),
      setClipboardSharing: (on) => host('setClipboardSharing', on),
      revokeControl: () => host('revokeControl'),
      endControlSession: () => host('endControlSession'),
      onControlState: (listener) => {
        window.__pdControlListeners.add(listener);
        return () => window.__pdControlListeners.delete(listener);
      },
    };
    window.__pdControlListeners = new Set();
    window.__pdControlState = (state) => window.__pdControlListeners.forEach((l) => l(state));
  }`;
}
