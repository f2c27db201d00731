import { E2EHarness } from './test/support/e2e-harness';
import { asCommandLineFlags, HOST_CHROMIUM_SWITCHES } from './main/services/chromium-switches';
const CAPTURE_PCS = `(() => { const O = window.RTCPeerConnection; window.__pcs = [];
  window.RTCPeerConnection = function (...a) { const pc = new O(...a); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = O.prototype; Object.setPrototypeOf(window.RTCPeerConnection, O); })()`;
const harness = await E2EHarness.start();
await harness.openWindow('Static', '#336699', '1280x800+0+0');
harness.extraArgs.host = asCommandLineFlags(HOST_CHROMIUM_SWITCHES);
for (let i = 0; i < 3; i++) {
  const host = await harness.hostPage('screen', true, '');
  await host.addInitScript(CAPTURE_PCS); await host.reload(); await host.waitForSelector('#session-code');
  await host.evaluate(() => new MutationObserver(() => document.querySelector<HTMLButtonElement>('#allow-view')?.click()).observe(document.body, { childList: true, subtree: true }));
  const viewer = await harness.viewerPage('');
  await viewer.addInitScript(CAPTURE_PCS); await viewer.reload();
  await viewer.evaluate(`(() => { window.__first = 0; const t = setInterval(() => { const v = document.querySelector('video'); if (v) { clearInterval(t); v.requestVideoFrameCallback((now) => (window.__first = performance.timeOrigin + now)); } }, 5); })()`);
  const { code, pin } = await E2EHarness.sessionCredentials(host);
  await viewer.fill('#join-code', code); await viewer.fill('#join-pin', pin); await viewer.fill('#join-name', 'Tina');
  const t0 = await viewer.evaluate(() => performance.timeOrigin + performance.now());
  await viewer.click('#join-submit');
  await viewer.waitForFunction(() => (window as any).__first > 0, undefined, { timeout: 20000 });
  const first = await viewer.evaluate(() => (window as any).__first);
  const stats = async (p: typeof host, type: string) => p.evaluate(async (t) => { for (const pc of (window as any).__pcs) for (const s of (await pc.getStats()).values()) if (s.type === t && s.kind === 'video') return s; }, type);
  const o = await stats(host, 'outbound-rtp'); const n = await stats(viewer, 'inbound-rtp');
  const tr = await host.evaluate(async () => { for (const pc of (window as any).__pcs) for (const s of (await pc.getStats()).values()) if (s.type === 'candidate-pair' && s.nominated) return { rtt: s.currentRoundTripTime, abr: s.availableOutgoingBitrate }; });
  console.log('TTFF', (first - t0).toFixed(0), JSON.stringify({ enc: o.framesEncoded, encMs: (o.totalEncodeTime / o.framesEncoded * 1000).toFixed(1), sendDelay: (o.totalPacketSendDelay / o.packetsSent * 1000).toFixed(1), kf: o.keyFramesEncoded, bytes: o.bytesSent, dec: n.framesDecoded, asm: n.totalAssemblyTime, jb: (n.jitterBufferDelay / n.jitterBufferEmittedCount * 1000).toFixed(1), firstFrameAt: (first - t0).toFixed(0), ...tr }));
  await harness.reset({ keepWindows: true });
}
await harness.stop();
