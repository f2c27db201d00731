/**
 * Chromium switches the desktop app sets for itself (main.ts, `app.commandLine.appendSwitch`), and that the
 * benchmark gives the PeerDesk host browser, so the figures are those of the app users run.
 */
export const HOST_CHROMIUM_SWITCHES: ReadonlyArray<readonly [name: string, value: string]> = [
  // Chromium slows screen capture down until grabbing takes at most half a core (the X11 capturer grabs and
  // diffs the whole screen on every tick). For a remote-support session the capture is the point: measured
  // here, lifting the cap cut glass-to-glass p95 from ~100 to ~70–80 ms.
  ['webrtc-max-cpu-consumption-percentage', '100'],
];

export const asCommandLineFlags = (switches: typeof HOST_CHROMIUM_SWITCHES) => switches.map(([name, value]) => `--${name}=${value}`);
