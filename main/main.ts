import { app, BrowserWindow, desktopCapturer, globalShortcut, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { IpcChannel } from '../protocol/ipc-channels';
import { pathToFileURL } from 'node:url';
import { startSignalingServer, type RunningSignalingServer } from '../signaling/server';
import { dialogControlPrompt } from './adapters/control-prompt';
import { electronOwnWindows, electronScreens } from './adapters/electron-desktop';
import { registerIpcHandlers } from './adapters/ipc-handlers';
import { bindRevokeHotkey } from './adapters/revoke-hotkey';
import { hardenedWindowOptions } from './adapters/window-options';
import { HostServices } from './services/host-services';
import { RobotInjector } from './services/input/robot-injector';
import { X11Connection } from './services/input/x11-connection';
import { X11UnicodeTyper } from './services/input/x11-unicode-typer';
import { X11WindowSystem, type WindowSystem } from './services/input/x11-window-system';
import { SourceSelection } from './services/source-selection';

const APP_ORIGIN = 'app://peerdesk';
const rendererDir = join(__dirname, '..', 'renderer');
const selection = new SourceSelection();
let mainWindow: BrowserWindow | undefined;
let signaling: RunningSignalingServer | undefined;

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => mainWindow?.show());

app.whenReady().then(async () => {
  // The renderer is served from app://peerdesk/ so it has a real origin the signaling server can allow.
  protocol.handle('app', (request) => {
    const path = new URL(request.url).pathname.replace(/^\/+/, '') || 'index.html';
    const file = join(rendererDir, path);
    if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });

  signaling = await startSignalingServer({
    host: process.env.PEERDESK_LAN_HOST ?? '0.0.0.0',
    port: Number(process.env.PEERDESK_LAN_PORT ?? 8787),
    staticDir: rendererDir,
  });

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'display-capture' || permission === 'clipboard-sanitized-write'),
  );
  // getDisplayMedia is answered with exactly the source the host picked in the consent prompt.
  ses.setDisplayMediaRequestHandler(async (_request, callback) => {
    const picked = selection.take(await desktopCapturer.getSources({ types: ['screen', 'window'] }));
    if (picked) callback({ video: picked });
    else callback({});
  });

  const services = await createHostServices();
  services.onControlState((state) => mainWindow?.webContents.send(IpcChannel.controlState, state));
  bindRevokeHotkey(
    globalShortcut,
    (l) => services.onControlState(l),
    () => services.revokeControl('hotkey'),
  );
  registerIpcHandlers({
    trusted: () => mainWindow?.webContents,
    appOrigin: APP_ORIGIN,
    selection,
    services,
    signalingUrl: () => process.env.PEERDESK_SIGNALING_URL ?? signaling!.wsUrl,
  });

  mainWindow = new BrowserWindow(hardenedWindowOptions(join(__dirname, '..', 'preload', 'preload.cjs')));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
});

let unicodeTyper: X11UnicodeTyper | undefined;

/** Host services on the real desktop: robotjs, and on X11 one X connection for windows and Unicode text. */
async function createHostServices(): Promise<HostServices> {
  const x11 = process.platform === 'linux' && process.env.DISPLAY ? await X11Connection.connect().catch(() => undefined) : undefined;
  // Without a spare keycode, non-ASCII text falls back to robotjs rather than failing the app.
  unicodeTyper = x11 ? await X11UnicodeTyper.create(x11).catch(() => undefined) : undefined;
  const noWindows: WindowSystem = {
    windowBounds: async () => undefined,
    raiseWindow: async () => undefined,
    activeWindow: async () => undefined,
  };
  const services: HostServices = new HostServices({
    auditPath: join(app.getPath('userData'), 'audit.jsonl'),
    prompt: dialogControlPrompt(
      () => mainWindow,
      (allow) => (allow ? services.consent.grant() : services.consent.deny()),
    ),
    injector: new RobotInjector(unicodeTyper),
    windows: x11 ? new X11WindowSystem(x11) : noWindows,
    own: electronOwnWindows,
    screens: electronScreens,
  });
  return services;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\/[^\s]+$/.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.on('window-all-closed', () => {
  void Promise.allSettled([signaling?.close(), unicodeTyper?.release()]).finally(() => app.quit());
});
