/** Init script: keeps every RTCPeerConnection the page makes in `window.__pcs`, so tests and benchmarks can read them without app hooks. */
export const CAPTURE_PCS = `(() => { const O = window.RTCPeerConnection; window.__pcs = [];
  window.RTCPeerConnection = function (...a) { const pc = new O(...a); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = O.prototype; Object.setPrototypeOf(window.RTCPeerConnection, O); })()`;
