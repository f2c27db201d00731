/**
 * Chromium switches the desktop app sets for itself (main.ts, `app.commandLine.appendSwitch`), and that the
 * benchmark gives the PeerDesk host browser, so the figures are those of the app users run.
 */
export const HOST_CHROMIUM_SWITCHES: ReadonlyArray<readonly [name: string, value: string]> = [
  // Chromium slows screen capture down until grabbing takes at most half a core (the X11 capturer grabs and
  // diffs the whole screen on every tick). For a remote-support session the capture is the point: measured
  // here, lifting the cap cut glass-to-glass p95 from ~100 to ~70–80 ms.
  ['webrtc-max-cpu-consumption-percentage', '100'],
  // The host stamps every video packet with a playout delay of 0 (the RTP playout-delay extension every Chromium
  // negotiates), which tells the viewer's browser — any Chromium, no switch needed there — to show each frame as
  // soon as it is decoded instead of holding it in an adaptive jitter buffer. The buffer grows with the largest
  // recent frame and with retransmissions: measured at the glass, it held frames 36–230 ms under a 4 Mbit/s cap
  // and 2–11 ms on loopback; with the stamp it holds none (README, constrained network). A field trial is the only
  // handle Chromium offers for this; if a later Chromium drops it, the benchmark shows the buffer again.
  ['force-fieldtrials', 'WebRTC-ForceSendPlayoutDelay/min_ms:0,max_ms:0/'],
];

export const asCommandLineFlags = (switches: typeof HOST_CHROMIUM_SWITCHES) => switches.map(([name, value]) => `--${name}=${value}`);
