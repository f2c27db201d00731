import { desktopCapturer, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import * as z from 'zod';
import { overlayMessageSchema } from '../../protocol/annotation-messages';
import { displayNameSchema, verifiedIdentitySchema } from '../../protocol/signaling-messages';
import {
  type CaptureSource,
  type FileSaveResult,
  listSourcesOptionsSchema,
  saveFileBeginSchema,
  saveTokenSchema,
  sha256HexSchema,
  sharingStatusSchema,
  type SharingStatus,
  sourceIdSchema,
} from '../../protocol/host-api';
import { IpcChannel } from '../../protocol/ipc-channels';
import type { PlatformNotice, Settings } from '../../protocol/settings';
import { MAX_CLIPBOARD_BYTES } from '../../protocol/toolkit-messages';
import type { FileSaveService } from '../services/files/file-save-service';
import type { HostServices } from '../services/host-services';
import type { OverlaySession } from '../services/overlay/overlay-session';
import type { SourceSelection } from '../services/source-selection';
import type { TechnicianSignIn } from '../services/technician-sign-in';
import type { ConsentWindowPrompt } from './consent-window';
import { isTrustedSender } from './trusted-sender';

export async function listCaptureSources(thumbnails: boolean): Promise<CaptureSource[]> {
  const sources = await desktopCapturer.getSources({
    types: ['screen', 'window'],
    // A zero size skips the (slow) thumbnail grab: the prompt lists names first.
    thumbnailSize: thumbnails ? { width: 320, height: 200 } : { width: 0, height: 0 },
    fetchWindowIcons: thumbnails,
  });
  return sources.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.id.startsWith('screen:') ? 'screen' : 'window',
    thumbnail: thumbnails ? s.thumbnail.toDataURL() : undefined,
    icon: s.appIcon && !s.appIcon.isEmpty() ? s.appIcon.resize({ width: 32, height: 32 }).toDataURL() : undefined,
  }));
}

/** Clipboard text crossing IPC: the same bound as on the wire. */
const clipboardTextSchema = z.string().refine((s) => Buffer.byteLength(s) <= MAX_CLIPBOARD_BYTES, 'clipboard text too large');

/** A service's answer as the invoke's result, or its refusal code as the rejection. */
function settled<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** One chunk of a received file (the renderer sends 64 KiB; anything over 1 MiB is refused). */
const chunkSchema = z.instanceof(Uint8Array).refine((b) => b.byteLength <= 1024 * 1024, 'chunk too large');

export interface IpcDeps {
  /** The main window: the only sender of the host API. */
  trusted: () => WebContents | undefined;
  /** The always-on-top indicator: may only ask to stop. */
  indicator: () => WebContents | undefined;
  onSharing: (status: SharingStatus) => void;
  onStopRequest: () => void;
  appOrigin: string;
  selection: SourceSelection;
  services: HostServices;
  /** Received files: written, checked and named by main. */
  files: Pick<FileSaveService, 'begin' | 'write' | 'finish' | 'abort' | 'abortAll'>;
  signalingUrl: () => string;
  settings: { get(): Settings; save(input: unknown): Settings };
  platformNotices: () => PlatformNotice[];
  lanViewerUrl: () => string | undefined;
  /** The control prompt window's answers. */
  consentPrompt: Pick<ConsentWindowPrompt, 'onAnswer'>;
  /** Fire-and-forget channels have no caller to answer: a refused message is reported here (the app logs it). */
  onRejected: (channel: string, reason: string) => void;
  /** The technician's sign-in through the system browser (absent: the channels answer SIGN_IN_ERR_OFF). */
  technicianSignIn?: Pick<TechnicianSignIn, 'signIn' | 'signOut' | 'status'>;
  /** The overlay over what is shared: the host page's accepted marks (and `off`), its picks, the session's end. */
  overlay?: Pick<OverlaySession, 'message' | 'sourceSelected' | 'sessionEnded'>;
}

/** Every IPC channel main listens on is registered here, each with its sender check and argument schema. */
export function registerIpcHandlers(deps: IpcDeps): void {
  const guard = trustedOnly(deps);
  handleSourcesAndSettings(deps, guard);
  handleControlSession(deps, guard);
  handleFileSaves(deps, guard);
  handleClipboard(deps, guard);
  handleTechnicianSignIn(deps, guard);
  listenFireAndForget(deps);
}

/** Wraps an invoke handler: it runs only for the trusted window's main frame of the app's origin. */
function trustedOnly(deps: IpcDeps) {
  return <A extends unknown[], R>(fn: (...args: A) => R) =>
    (event: IpcMainInvokeEvent, ...args: A): R => {
      if (!isTrustedSender(event, deps.trusted, deps.appOrigin)) throw new Error('refused: untrusted sender');
      return fn(...args);
    };
}
type Guard = ReturnType<typeof trustedOnly>;

/** Capture sources and their pick, the server's address, settings and platform notices. */
function handleSourcesAndSettings(deps: IpcDeps, guard: Guard): void {
  ipcMain.handle(
    IpcChannel.listSources,
    guard(async (options: unknown) => {
      const { thumbnails = false } = listSourcesOptionsSchema.parse(options) ?? {};
      return deps.selection.listedSources(await listCaptureSources(thumbnails));
    }),
  );
  ipcMain.handle(
    IpcChannel.selectSource,
    guard(async (id: unknown) => {
      const source = deps.selection.pick(sourceIdSchema.parse(id));
      deps.services.selectSource(source.id);
      deps.overlay?.sourceSelected(source.id);
    }),
  );
  ipcMain.handle(IpcChannel.signalingUrl, guard(deps.signalingUrl));
  ipcMain.handle(
    IpcChannel.settings,
    guard(() => deps.settings.get()),
  );
  ipcMain.handle(
    IpcChannel.saveSettings,
    guard((input: unknown) => deps.settings.save(input)),
  );
  ipcMain.handle(IpcChannel.platformNotices, guard(deps.platformNotices));
  ipcMain.handle(IpcChannel.lanViewerUrl, guard(deps.lanViewerUrl));
}

/** The control session's start, revoke and end (which takes unfinished downloads with it). */
function handleControlSession(deps: IpcDeps, guard: Guard): void {
  ipcMain.handle(
    IpcChannel.startControlSession,
    guard((name: unknown, identity: unknown) =>
      deps.services.startControlSession(displayNameSchema.parse(name), verifiedIdentitySchema.optional().parse(identity)),
    ),
  );
  ipcMain.handle(
    IpcChannel.revokeControl,
    guard(() => deps.services.revokeControl('host')),
  );
  ipcMain.handle(
    IpcChannel.endControlSession,
    guard(async () => {
      deps.services.endControlSession('disconnected');
      deps.overlay?.sessionEnded();
      // A session that ends takes its unfinished downloads with it.
      await deps.files.abortAll();
    }),
  );
}

/** Received files: begun, written, checked and named by main. */
function handleFileSaves(deps: IpcDeps, guard: Guard): void {
  ipcMain.handle(
    IpcChannel.saveFileBegin,
    guard(async (name: unknown, size: unknown) => deps.files.begin(...saveFileBeginSchema.parse([name, size]))),
  );
  ipcMain.handle(
    IpcChannel.saveFileChunk,
    guard(async (token: unknown, bytes: unknown) => deps.files.write(saveTokenSchema.parse(token), chunkSchema.parse(bytes))),
  );
  ipcMain.handle(
    IpcChannel.saveFileFinish,
    guard(async (token: unknown, sha256: unknown): Promise<FileSaveResult> => {
      const result = await deps.files.finish(saveTokenSchema.parse(token), sha256HexSchema.parse(sha256));
      return result.ok ? { ok: true, path: result.path } : result;
    }),
  );
  ipcMain.handle(
    IpcChannel.saveFileAbort,
    guard(async (token: unknown) => deps.files.abort(saveTokenSchema.parse(token))),
  );
}

/** The clipboard service decides (sharing on for this session, size); a refusal rejects with its code. */
function handleClipboard(deps: IpcDeps, guard: Guard): void {
  ipcMain.handle(
    IpcChannel.readClipboard,
    guard(async () => settled(deps.services.clipboard.read())),
  );
  ipcMain.handle(
    IpcChannel.writeClipboard,
    guard(async (text: unknown) => settled(deps.services.clipboard.write(clipboardTextSchema.parse(text)))),
  );
  ipcMain.handle(
    IpcChannel.setClipboardSharing,
    guard(async (on: unknown) => void settled(deps.services.clipboard.setSharing(z.boolean().parse(on)))),
  );
}

/** Technician sign-in: nothing crosses but who signed in (the credential stays in main); a failure rejects with its code. */
function handleTechnicianSignIn(deps: IpcDeps, guard: Guard): void {
  const signIn = () => {
    if (!deps.technicianSignIn) throw new Error('SIGN_IN_ERR_OFF');
    return deps.technicianSignIn;
  };
  ipcMain.handle(
    IpcChannel.technicianSignIn,
    guard(() => signIn().signIn()),
  );
  ipcMain.handle(
    IpcChannel.technicianSignOut,
    guard(async () => signIn().signOut()),
  );
  ipcMain.handle(
    IpcChannel.technicianStatus,
    guard(() => signIn().status()),
  );
}

/** Channels with no caller to answer: a refused message is reported through `onRejected`. */
function listenFireAndForget(deps: IpcDeps): void {
  /** A fire-and-forget channel: `handle` runs only for its own window's main frame and a valid argument. */
  const listen = <T>(channel: string, from: () => WebContents | undefined, schema: z.ZodType<T>, handle: (value: T) => void) =>
    ipcMain.on(channel, (event, raw: unknown) => {
      if (!isTrustedSender(event, from, deps.appOrigin)) return deps.onRejected(channel, 'untrusted sender');
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return deps.onRejected(channel, parsed.error.issues[0]?.message ?? 'invalid argument');
      handle(parsed.data);
    });
  listen(IpcChannel.reportSharing, deps.trusted, sharingStatusSchema, deps.onSharing);
  listen(IpcChannel.requestStop, deps.indicator, z.undefined(), () => deps.onStopRequest());
  // InputService validates the message itself (and counts what it drops); here only the carrier's type is checked.
  listen(IpcChannel.controlMessage, deps.trusted, z.string(), (raw) => void deps.services.controlMessage(raw));
  // Marks came off the wire through the host page: parsed again here, so the overlay only ever paints a valid mark.
  listen(IpcChannel.annotationOverlay, deps.trusted, overlayMessageSchema, (message) =>
    deps.overlay ? deps.overlay.message(message) : deps.onRejected(IpcChannel.annotationOverlay, 'no overlay'),
  );
  // The consent window checks its own sender (the prompt window of the moment) and the answer's timing.
  ipcMain.on(IpcChannel.answerControlPrompt, (event, raw: unknown, rawDontAsk: unknown) =>
    deps.consentPrompt.onAnswer(event, raw, rawDontAsk),
  );
}
