/**
 * The API the host page may call: in Electron it is built by preload/ over IPC,
 * in the end-to-end tests the harness exposes the same shape wired to the same
 * main-process services. Arguments crossing it are validated on the trusted side
 * with these schemas.
 */
import * as z from 'zod';
import type { OverlayMessage } from './annotation-messages';
import type { AppTechnician, TechnicianStatus } from './app-sign-in';
import type { ControlState } from './control-messages';
import type { PlatformNotice, Settings } from './settings';
import { displayNameSchema, type VerifiedIdentity } from './signaling-messages';

export const captureSourceSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: z.string().max(300),
  kind: z.enum(['screen', 'window']),
  /** A small PNG/JPEG data URL for the picker. */
  thumbnail: z.string().max(2_000_000).optional(),
  /** The window's application icon (data URL), where the OS has one. */
  icon: z.string().max(200_000).optional(),
});
export type CaptureSource = z.infer<typeof captureSourceSchema>;
export const listSourcesOptionsSchema = z.strictObject({ thumbnails: z.boolean().optional() }).optional();
export const sourceIdSchema = captureSourceSchema.shape.id;

export type Unsubscribe = () => void;

/**
 * How long after the control prompt appears an Allow is ignored: a click or Enter already on its way must not
 * grant. The prompt page greys the button for this long; main enforces it.
 */
export const CONTROL_PROMPT_INPUT_DELAY_MS = 1500;

/**
 * What the host page is sharing, for the tray and the always-on-top indicator. `verified`: the technician signed in
 * (the server attached their identity); absent or false: the name was typed.
 */
export const sharingStatusSchema = z
  .strictObject({ viewer: displayNameSchema, source: z.string().max(300), verified: z.boolean().optional() })
  .nullable();
export type SharingStatus = z.infer<typeof sharingStatusSchema>;

export const saveFileBeginSchema = z.tuple([z.string().min(1).max(1024), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]);
export const saveTokenSchema = z.string().uuid();
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
export type FileSaveResult = { ok: true; path: string } | { ok: false; reason: string };

export interface PeerDeskHostApi {
  readonly version: 1;
  /** Screens and windows the host can share; thumbnails (slow to grab) only when asked for. */
  listSources(options?: { thumbnails?: boolean }): Promise<CaptureSource[]>;
  /** Chooses what the next `getDisplayMedia()` returns; no other path starts a capture. */
  selectSource(id: string): Promise<void>;
  /** The signaling server this app should use (the embedded one when none is configured). */
  signalingUrl(): Promise<string>;

  // Remote control. The renderer only carries messages; main decides (ConsentService, InputService).
  /**
   * A viewer is connected and watching; control starts at "none". `identity`: what the server verified about them
   * (sign-in); main shows it on the control prompt and refuses control to an unverified viewer when the host's
   * "Only verified technicians" setting is on.
   */
  startControlSession(viewerName: string, identity?: VerifiedIdentity): Promise<void>;
  /** One raw data-channel message from the viewer, validated again in main. */
  controlMessage(raw: string): Promise<void>;
  /** The host takes control back (sharing-bar button). There is deliberately no grant here. */
  revokeControl(): Promise<void>;
  endControlSession(): Promise<void>;
  /** Control state changes decided in main (prompt answered, hotkey, revoke). */
  onControlState(listener: (state: ControlState) => void): Unsubscribe;

  // Desktop app only: absent in browsers and in the end-to-end harness, whose prompt and indicator are the test's.
  /** The host page reports what it shares (null: nothing). */
  reportSharing?(status: SharingStatus): void;
  /** Stop was pressed on the indicator or in the tray: the host page ends the session. */
  onStopRequested?(listener: () => void): Unsubscribe;
  /** Indicator window: ask the host page to stop sharing. */
  requestStop?(): void;
  /** Consent window: the host's answer. Main takes it only from that window, and Allow only after the input delay. */
  answerControlPrompt?(allow: boolean, dontAskAgain?: boolean): void;
  settings?(): Promise<Settings>;
  /** Validated in main; resolves with what was stored, rejects with the reason. */
  saveSettings?(settings: Settings): Promise<Settings>;
  /** What this platform needs before sharing or control (permissions, Wayland). */
  platformNotices?(): Promise<PlatformNotice[]>;
  /** Where a browser viewer on the LAN opens PeerDesk (embedded server), if it runs. */
  lanViewerUrl?(): Promise<string | undefined>;
  /** A received file starts: main sanitizes the name, checks the size cap and opens a partial file; resolves a token. */
  saveFileBegin?(name: string, size: number): Promise<string>;
  saveFileChunk?(token: string, bytes: Uint8Array): Promise<void>;
  /** All bytes are there: main checks the SHA-256 itself and only then gives the file its name. */
  saveFileFinish?(token: string, sha256: string): Promise<FileSaveResult>;
  /** Cancelled or failed: the partial file is deleted. */
  saveFileAbort?(token: string): Promise<void>;
  /**
   * The host's own clipboard, as text (desktop app only: a page may not read the system clipboard unasked). Main
   * refuses both (the promise rejects with a CLIPBOARD_ERR_* code) unless the host turned sharing on for this session.
   */
  readClipboard?(): Promise<string>;
  writeClipboard?(text: string): Promise<void>;
  /** The host's "Share clipboard text this session" toggle: main holds it, and it starts off with every session. */
  setClipboardSharing?(on: boolean): Promise<void>;
  /**
   * Technician sign-in through the system browser (RFC 8252, `main/services/technician-sign-in.ts`): resolves with who
   * signed in; the credential stays in main, which adds it to the WebSocket upgrade. Never a token to the page.
   */
  technicianSignIn?(): Promise<AppTechnician>;
  technicianSignOut?(): Promise<void>;
  /** Whether the app's server offers sign-in, and who is signed in in the app. */
  technicianStatus?(): Promise<TechnicianStatus>;
  /** Host page: a mark message it accepted (or `off`), for the overlay over what is shared. Validated again in main. */
  annotationOverlay?(message: OverlayMessage): void;
  /** Overlay window: the marks main passes on from the host page. */
  onOverlayMarks?(listener: (message: OverlayMessage) => void): Unsubscribe;
}

declare global {
  interface Window {
    /** Present in the desktop app (and the test harness); absent in a plain browser. */
    peerdesk?: PeerDeskHostApi;
  }
}
