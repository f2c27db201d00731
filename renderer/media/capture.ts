import type { PeerDeskHostApi } from '../../protocol/host-api';
import { captureConstraints, tuneCapturedTrack } from './screen-tuning';

export interface Capture {
  stream: MediaStream;
  track: MediaStreamTrack;
  /** What the host sees in the sharing bar. */
  label: string;
}

/**
 * Starts a capture. In the desktop app the host API first pins the picked
 * source (main answers getDisplayMedia with exactly that); in a browser the
 * browser's own picker chooses.
 */
export async function startCapture(api: PeerDeskHostApi | undefined, source?: { id: string; name: string }): Promise<Capture> {
  if (api && source) await api.selectSource(source.id);
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: captureConstraints(), audio: false });
  const track = stream.getVideoTracks()[0];
  tuneCapturedTrack(track);
  return { stream, track, label: source?.name || readableLabel(track.label) };
}

/**
 * Electron labels a captured track with its capture id (`screen:411:0`, `window:0x3a00007:0`), which means
 * nothing to the person sharing: say what kind of thing it is instead.
 */
export function readableLabel(trackLabel: string): string {
  if (/^screen:/.test(trackLabel) || !trackLabel) return 'your screen';
  if (/^window:/.test(trackLabel)) return 'a window';
  return trackLabel;
}

export function stopCapture(capture: Capture | undefined): void {
  capture?.stream.getTracks().forEach((t) => t.stop());
}
