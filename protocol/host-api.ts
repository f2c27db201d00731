/**
 * The API the host page may call: in Electron it is built by preload/ over IPC,
 * in the end-to-end tests the harness exposes the same shape wired to the same
 * main-process services. Arguments crossing it are validated on the trusted side
 * with these schemas.
 */
import { z } from 'zod';
import type { ControlState } from './control-messages';

export const captureSourceSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: z.string().max(300),
  kind: z.enum(['screen', 'window']),
  /** A small PNG/JPEG data URL for the picker. */
  thumbnail: z.string().max(2_000_000).optional(),
});
export type CaptureSource = z.infer<typeof captureSourceSchema>;
export const sourceIdSchema = captureSourceSchema.shape.id;

export type Unsubscribe = () => void;

export interface PeerDeskHostApi {
  readonly version: 1;
  /** Screens and windows the host can share, with thumbnails. */
  listSources(): Promise<CaptureSource[]>;
  /** Chooses what the next `getDisplayMedia()` returns; no other path starts a capture. */
  selectSource(id: string): Promise<void>;
  /** The signaling server this app should use (the embedded one when none is configured). */
  signalingUrl(): Promise<string>;

  // Remote control. The renderer only carries messages; main decides (ConsentService, InputService).
  /** A viewer is connected and watching; control starts at "none". */
  startControlSession(viewerName: string): Promise<void>;
  /** One raw data-channel message from the viewer, validated again in main. */
  controlMessage(raw: string): Promise<void>;
  /** The host takes control back (sharing-bar button). There is deliberately no grant here. */
  revokeControl(): Promise<void>;
  endControlSession(): Promise<void>;
  /** Control state changes decided in main (prompt answered, hotkey, revoke). */
  onControlState(listener: (state: ControlState) => void): Unsubscribe;
}

declare global {
  interface Window {
    /** Present in the desktop app (and the test harness); absent in a plain browser. */
    peerdesk?: PeerDeskHostApi;
  }
}
