import { app, BrowserWindow, desktopCapturer, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSignalingServer, type RunningSignalingServer } from '../signaling/server';
import { registerIpcHandlers } from './adapters/ipc-handlers';
import { hardenedWindowOptions } from './adapters/window-options';
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

  registerIpcHandlers({
    trusted: () => mainWindow?.webContents,
    appOrigin: APP_ORIGIN,
    selection,
    signalingUrl: () => process.env.PEERDESK_SIGNALING_URL ?? signaling!.wsUrl,
  });

  mainWindow = new BrowserWindow(hardenedWindowOptions(join(__dirname, '..', 'preload', 'preload.cjs')));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
});

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
  void signaling?.close().finally(() => app.quit());
});
