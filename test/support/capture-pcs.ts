/** Init script: keeps every RTCPeerConnection the page makes in `window.__pcs`, so tests and benchmarks can read them without app hooks. */
export const CAPTURE_PCS = `(() => { const O = window.RTCPeerConnection; window.__pcs = [];
  window.RTCPeerConnection = function (...a) { const pc = new O(...a); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = O.prototype; Object.setPrototypeOf(window.RTCPeerConnection, O); })()`;

/** The ICE username fragment the page's live connection uses now (needs CAPTURE_PCS): an ICE restart changes it. */
export const iceUfrag = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.find((p) => p.connectionState !== 'closed');
    return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1];
  });
