import { app, type BrowserWindow, clipboard, globalShortcut, net, protocol, session, type WebContents } from 'electron';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { IpcChannel } from '../protocol/ipc-channels';
import { SECURITY_HEADERS } from '../common/security-headers';
import { DESKTOP_APP_ORIGIN } from '../protocol/limits';
import type { VerifiedIdentity } from '../protocol/signaling-messages';
import type { VerifiedPolicy } from '../protocol/verified-policy';
import { startSignalingServer, type RunningSignalingServer } from '../signaling/server';
import { pinoToAppLog, setUpLogging } from './adapters/app-log';
import { createAppWindow } from './adapters/app-window';
import { consentWindowPrompt, type ConsentWindowPrompt } from './adapters/consent-window';
import { createOverlayWindow } from './adapters/overlay-window';
import { answerDisplayMediaWithPick } from './adapters/display-media';
import { electronOwnWindows, electronScreens } from './adapters/electron-desktop';
import { registerIpcHandlers } from './adapters/ipc-handlers';
import { currentPlatformFacts } from './adapters/platform-facts';
import { bindRevokeHotkey } from './adapters/revoke-hotkey';
import { SettingsStore } from './adapters/settings-store';
import { StatusSurfaces } from './adapters/status-surfaces';
import { attachTechnicianCredential, openInSystemBrowser } from './adapters/technician-sign-in';
import { HOST_CHROMIUM_SWITCHES } from './services/chromium-switches';
import { FileSaveService } from './services/files/file-save-service';
import { HostServices } from './services/host-services';
import type { HostStatus } from './services/host-status';
import { AnnotationOverlay, type OverlayDeps } from './services/overlay/annotation-overlay';
import { OverlaySession } from './services/overlay/overlay-session';
import { x11WindowShown } from './services/overlay/x11-window-shown';
import { x11WindowsAbove } from './services/overlay/x11-windows-above';
import { RobotInjector } from './services/input/robot-injector';
import { X11Connection } from './services/input/x11-connection';
import { X11UnicodeTyper } from './services/input/x11-unicode-typer';
import type { WindowSystem } from './services/input/window-system';
import { X11WindowSystem } from './services/input/x11-window-system';
import { embeddedSignalingOptions } from './services/embedded-signaling';
import { lanViewerUrl } from './services/lan-address';
import { readinessNotices } from './services/platform-readiness';
import { relayRecordingUpload, type UploadRelayDeps } from './services/recording-upload-relay';
import { SourceSelection } from './services/source-selection';
import { TechnicianSignIn } from './services/technician-sign-in';

const APP_ORIGIN = DESKTOP_APP_ORIGIN;
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'preload.cjs');
const appUrl = (query = '') => `${APP_ORIGIN}/index.html${query ? `?${query}` : ''}`;
const log = setUpLogging();
const selection = new SourceSelection();
const status: HostStatus = { sharing: null, control: 'none' };
let mainWindow: BrowserWindow | undefined;
let signaling: RunningSignalingServer | undefined;
let unicodeTyper: X11UnicodeTyper | undefined;
/** Set once sign-in is up: where the app page's recording upload goes, and with which credential. */
let uploadRelay: UploadRelayDeps | undefined;

for (const [name, value] of HOST_CHROMIUM_SWITCHES) app.commandLine.appendSwitch(name, value);
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => mainWindow?.show());

/** The renderer is served from app://peerdesk/ so it has a real origin, with the same CSP the signaling server sends. */
function serveAppScheme(): void {
  protocol.handle('app', async (request) => {
    // The technician's recording goes on to the server (the page's CSP reaches it only over WebSocket).
    const relayed = uploadRelay && (await relayRecordingUpload(request, uploadRelay));
    if (relayed) return relayed;
    const path = new URL(request.url).pathname.replace(/^\/+/, '') || 'index.html';
    const file = join(rendererDir, path);
    if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  });
}

/** No server configured: the embedded one on the LAN (a failure to start is logged; the app runs without it). */
function startEmbeddedSignaling(port: number, publicUrl: string | undefined): Promise<RunningSignalingServer | undefined> {
  return startSignalingServer({
    ...embeddedSignalingOptions({ dataDir: app.getPath('userData'), port, staticDir: rendererDir, publicUrl }),
    logger: pino({ level: 'info' }, pinoToAppLog(log)),
  }).catch((err: Error) => {
    log.error('embedded signaling server did not start:', err.message);
    return undefined;
  });
}

/** The tray and the sharing indicator window, with their actions. */
function statusSurfaces(services: HostServices, sendToMain: (channel: string) => void): StatusSurfaces {
  return new StatusSurfaces({
    trayIconPath: join(rendererDir, 'tray.png'),
    createIndicator: () => createAppWindow('indicator', preloadPath),
    appUrl,
    actions: {
      show: () => mainWindow?.show(),
      stop: () => sendToMain(IpcChannel.stopRequested),
      revoke: () => services.revokeControl('host'),
      quit: () => app.quit(),
    },
  });
}

/** Where received files go and how large they may be (read at each file: a change in Settings applies to the next). */
function receivedFiles(settings: SettingsStore, services: HostServices): FileSaveService {
  return new FileSaveService({
    folder: () => settings.get().downloadFolder || app.getPath('downloads'),
    maxBytes: () => settings.get().maxFileMiB * 1024 * 1024,
    onSaved: ({ name, size, sha256 }) => services.audit.record('file.received', { file: { name, size, sha256 } }),
  });
}

app.whenReady().then(async () => {
  serveAppScheme();

  const settings = new SettingsStore((problem) => log.warn('settings:', problem));
  const { signalingUrl, lanPort, revokeHotkey } = settings.get();
  // No server configured: run the embedded one on the LAN, and tell the host what a browser viewer opens.
  const lanUrl = signalingUrl ? undefined : lanViewerUrl(networkInterfaces(), lanPort);
  if (!signalingUrl) signaling = await startEmbeddedSignaling(lanPort, lanUrl);

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'display-capture' || permission === 'clipboard-sanitized-write'),
  );
  answerDisplayMediaWithPick(ses, selection);
  const viewerSignalingUrl = () => signalingUrl || signaling?.wsUrl.replace('//0.0.0.0:', '//127.0.0.1:') || '';
  const technicianSignIn = new TechnicianSignIn({ signalingUrl: viewerSignalingUrl, openExternal: openInSystemBrowser });
  attachTechnicianCredential(ses, technicianSignIn);
  uploadRelay = { signalingUrl: viewerSignalingUrl, authorizationFor: (url, method) => technicianSignIn.authorizationFor(url, method) };

  const { services, consentPrompt, windows } = await createHostServices(() => settings.get());
  // The technician's marks over what is shared: one click-through window, laid only while marks come.
  const overlay = new OverlaySession({
    overlay: new AnnotationOverlay({ create: () => createOverlayWindow(preloadPath, appUrl('window=overlay')), ...windows }),
    surfaceFor: (sourceId) => services.surfaceFor(sourceId),
    onError: (error) => log.warn('annotation overlay:', error.message),
  });
  const sendToMain = (channel: string, ...args: unknown[]) => mainWindow?.webContents.send(channel, ...args);
  const surfaces = statusSurfaces(services, sendToMain);
  services.onControlState((state) => {
    sendToMain(IpcChannel.controlState, state);
    status.control = state;
    surfaces.update(status);
  });
  bindRevokeHotkey(
    globalShortcut,
    (l) => services.onControlState(l),
    () => services.revokeControl('hotkey'),
    revokeHotkey,
  );
  registerIpcHandlers({
    trusted: () => mainWindow?.webContents,
    indicator: () => surfaces.indicatorContents,
    appOrigin: APP_ORIGIN,
    selection,
    services,
    signalingUrl: viewerSignalingUrl,
    technicianSignIn,
    overlay,
    settings,
    platformNotices: () => readinessNotices(currentPlatformFacts()),
    lanViewerUrl: () => (signaling ? lanUrl : undefined),
    onSharing: (sharing) => {
      status.sharing = sharing;
      surfaces.update(status);
    },
    onStopRequest: () => sendToMain(IpcChannel.stopRequested),
    onRejected: (channel, reason) => log.warn('IPC message refused on', channel, '-', reason),
    consentPrompt,
    files: receivedFiles(settings, services),
  });

  mainWindow = createAppWindow('main', preloadPath);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(appUrl());
  log.info('PeerDesk started', { version: app.getVersion(), embeddedSignaling: Boolean(signaling) });
});

/** Host services on the real desktop: robotjs, and on X11 one X connection for windows and Unicode text. */
async function createHostServices(policy: () => VerifiedPolicy): Promise<{
  services: HostServices;
  consentPrompt: ConsentWindowPrompt;
  /** Where a shared window is and whether it is on screen, for the overlay that follows it. */
  windows: Pick<OverlayDeps, 'windowBounds' | 'windowShown' | 'windowsAbove'>;
}> {
  const x11 = process.platform === 'linux' && process.env.DISPLAY ? await X11Connection.connect().catch(() => undefined) : undefined;
  // Without a spare keycode, non-ASCII text falls back to robotjs rather than failing the app.
  unicodeTyper = x11 ? await X11UnicodeTyper.create(x11).catch(() => undefined) : undefined;
  const noWindows: WindowSystem = {
    windowBounds: async () => undefined,
    raiseWindow: async () => undefined,
    activeWindow: async () => undefined,
    isUnderPointer: async () => false,
  };
  const consentPrompt = consentWindowPrompt({
    open: openConsentWindow,
    appOrigin: APP_ORIGIN,
    answer: (allow, dontAskAgain) => (allow ? services.consent.grant() : services.consent.deny(dontAskAgain)),
    rejected: (reason) => log.warn('control prompt answer refused:', reason),
  });
  const windows = x11 ? new X11WindowSystem(x11) : noWindows;
  const services: HostServices = new HostServices({
    auditPath: join(app.getPath('userData'), 'audit.jsonl'),
    prompt: consentPrompt,
    injector: new RobotInjector(unicodeTyper),
    windows,
    own: electronOwnWindows,
    screens: electronScreens,
    clipboard,
    policy,
  });
  const windowShown = x11 ? x11WindowShown(x11) : undefined;
  const windowsAbove = x11 ? x11WindowsAbove(x11) : undefined;
  return { services, consentPrompt, windows: { windowBounds: (id) => windows.windowBounds(id), windowShown, windowsAbove } };
}

function openConsentWindow(viewer: string, identity?: VerifiedIdentity): BrowserWindow {
  const win = createAppWindow('consent', preloadPath);
  win.once('ready-to-show', () => win.show());
  const query = new URLSearchParams({ window: 'consent', viewer, ...(identity ? { identity: JSON.stringify(identity) } : {}) });
  void win.loadURL(appUrl(query.toString()));
  return win;
}

app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  // PeerDesk opens no other windows and no external links: nothing a page or a link can trick it into.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  void Promise.allSettled([signaling?.close(), unicodeTyper?.release()]).finally(() => app.quit());
});
