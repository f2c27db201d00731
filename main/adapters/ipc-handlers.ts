import { desktopCapturer, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { type CaptureSource, sourceIdSchema } from '../../protocol/host-api';
import { IpcChannel } from '../../protocol/ipc-channels';
import type { SourceSelection } from '../services/source-selection';

/** Only the app's own main frame may call the host API. */
export function isTrustedSender(event: IpcMainInvokeEvent, trusted: () => WebContents | undefined, appOrigin: string): boolean {
  const frame = event.senderFrame;
  return event.sender === trusted() && frame !== null && frame === event.sender.mainFrame && frame.url.startsWith(`${appOrigin}/`);
}

export async function listCaptureSources(): Promise<CaptureSource[]> {
  const sources = await desktopCapturer.getSources({
    types: ['screen', 'window'],
    thumbnailSize: { width: 320, height: 200 },
    fetchWindowIcons: false,
  });
  return sources.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.id.startsWith('screen:') ? 'screen' : 'window',
    thumbnail: s.thumbnail.toDataURL(),
  }));
}

export function registerIpcHandlers(deps: {
  trusted: () => WebContents | undefined;
  appOrigin: string;
  selection: SourceSelection;
  signalingUrl: () => string;
}) {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (event: IpcMainInvokeEvent, ...args: A): R => {
      if (!isTrustedSender(event, deps.trusted, deps.appOrigin)) throw new Error('refused: untrusted sender');
      return fn(...args);
    };
  ipcMain.handle(IpcChannel.listSources, guard(listCaptureSources));
  ipcMain.handle(
    IpcChannel.selectSource,
    guard(async (id: unknown) => {
      deps.selection.pick(sourceIdSchema.parse(id), await listCaptureSources());
    }),
  );
  ipcMain.handle(IpcChannel.signalingUrl, guard(deps.signalingUrl));
}
