import { contextBridge, ipcRenderer } from 'electron';
import type { CaptureSource, PeerDeskHostApi } from '../protocol/host-api';
import { IpcChannel } from '../protocol/ipc-channels';

/** The one object the renderer gets: named methods, no raw ipcRenderer. */
const api: PeerDeskHostApi = {
  version: 1,
  listSources: () => ipcRenderer.invoke(IpcChannel.listSources) as Promise<CaptureSource[]>,
  selectSource: (id: string) => ipcRenderer.invoke(IpcChannel.selectSource, id) as Promise<void>,
  signalingUrl: () => ipcRenderer.invoke(IpcChannel.signalingUrl) as Promise<string>,
};

contextBridge.exposeInMainWorld('peerdesk', api);
