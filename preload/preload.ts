import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ControlState } from '../protocol/control-messages';
import type { CaptureSource, PeerDeskHostApi } from '../protocol/host-api';
import { IpcChannel } from '../protocol/ipc-channels';

/** The one object the renderer gets: named methods, no raw ipcRenderer. */
const api: PeerDeskHostApi = {
  version: 1,
  listSources: () => ipcRenderer.invoke(IpcChannel.listSources) as Promise<CaptureSource[]>,
  selectSource: (id: string) => ipcRenderer.invoke(IpcChannel.selectSource, id) as Promise<void>,
  signalingUrl: () => ipcRenderer.invoke(IpcChannel.signalingUrl) as Promise<string>,
  startControlSession: (viewerName: string) => ipcRenderer.invoke(IpcChannel.startControlSession, viewerName) as Promise<void>,
  // Fire-and-forget: input is latency-critical and main answers nothing the renderer needs.
  controlMessage: async (raw: string) => ipcRenderer.send(IpcChannel.controlMessage, raw),
  revokeControl: () => ipcRenderer.invoke(IpcChannel.revokeControl) as Promise<void>,
  endControlSession: () => ipcRenderer.invoke(IpcChannel.endControlSession) as Promise<void>,
  onControlState: (listener: (state: ControlState) => void) => {
    const wrapped = (_e: IpcRendererEvent, state: ControlState) => listener(state);
    ipcRenderer.on(IpcChannel.controlState, wrapped);
    return () => ipcRenderer.off(IpcChannel.controlState, wrapped);
  },
};

contextBridge.exposeInMainWorld('peerdesk', api);
