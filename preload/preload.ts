import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { OverlayMessage } from '../protocol/annotation-messages';
import type { AppTechnician, TechnicianStatus } from '../protocol/app-sign-in';
import type { ControlState } from '../protocol/control-messages';
import type { CaptureSource, FileSaveResult, PeerDeskHostApi, SharingStatus } from '../protocol/host-api';
import type { PlatformNotice, Settings } from '../protocol/settings';
import { IpcChannel } from '../protocol/ipc-channels';
import type { VerifiedIdentity } from '../protocol/signaling-messages';

/** The one object the renderer gets: named methods, no raw ipcRenderer. */
const api: PeerDeskHostApi = {
  version: 1,
  listSources: (options?: { thumbnails?: boolean }) => ipcRenderer.invoke(IpcChannel.listSources, options) as Promise<CaptureSource[]>,
  selectSource: (id: string) => ipcRenderer.invoke(IpcChannel.selectSource, id) as Promise<void>,
  signalingUrl: () => ipcRenderer.invoke(IpcChannel.signalingUrl) as Promise<string>,
  startControlSession: (viewerName: string, identity?: VerifiedIdentity) =>
    ipcRenderer.invoke(IpcChannel.startControlSession, viewerName, identity) as Promise<void>,
  // Fire-and-forget: input is latency-critical and main answers nothing the renderer needs.
  controlMessage: async (raw: string) => ipcRenderer.send(IpcChannel.controlMessage, raw),
  revokeControl: () => ipcRenderer.invoke(IpcChannel.revokeControl) as Promise<void>,
  endControlSession: () => ipcRenderer.invoke(IpcChannel.endControlSession) as Promise<void>,
  onControlState: (listener: (state: ControlState) => void) => subscribe(IpcChannel.controlState, listener),
  reportSharing: (status: SharingStatus) => ipcRenderer.send(IpcChannel.reportSharing, status),
  onStopRequested: (listener: () => void) => subscribe(IpcChannel.stopRequested, listener),
  requestStop: () => ipcRenderer.send(IpcChannel.requestStop),
  answerControlPrompt: (allow: boolean, dontAskAgain?: boolean) => ipcRenderer.send(IpcChannel.answerControlPrompt, allow, dontAskAgain),
  settings: () => ipcRenderer.invoke(IpcChannel.settings) as Promise<Settings>,
  saveSettings: (settings: Settings) => ipcRenderer.invoke(IpcChannel.saveSettings, settings) as Promise<Settings>,
  platformNotices: () => ipcRenderer.invoke(IpcChannel.platformNotices) as Promise<PlatformNotice[]>,
  lanViewerUrl: () => ipcRenderer.invoke(IpcChannel.lanViewerUrl) as Promise<string | undefined>,
  saveFileBegin: (name: string, size: number) => ipcRenderer.invoke(IpcChannel.saveFileBegin, name, size) as Promise<string>,
  saveFileChunk: (token: string, bytes: Uint8Array) => ipcRenderer.invoke(IpcChannel.saveFileChunk, token, bytes) as Promise<void>,
  saveFileFinish: (token: string, sha256: string) =>
    ipcRenderer.invoke(IpcChannel.saveFileFinish, token, sha256) as Promise<FileSaveResult>,
  saveFileAbort: (token: string) => ipcRenderer.invoke(IpcChannel.saveFileAbort, token) as Promise<void>,
  readClipboard: () => ipcRenderer.invoke(IpcChannel.readClipboard) as Promise<string>,
  writeClipboard: (text: string) => ipcRenderer.invoke(IpcChannel.writeClipboard, text) as Promise<void>,
  setClipboardSharing: (on: boolean) => ipcRenderer.invoke(IpcChannel.setClipboardSharing, on) as Promise<void>,
  technicianSignIn: () => ipcRenderer.invoke(IpcChannel.technicianSignIn) as Promise<AppTechnician>,
  technicianSignOut: () => ipcRenderer.invoke(IpcChannel.technicianSignOut) as Promise<void>,
  technicianStatus: () => ipcRenderer.invoke(IpcChannel.technicianStatus) as Promise<TechnicianStatus>,
  // Fire-and-forget like control messages: the laser follows the cursor, and the page waits on nothing.
  annotationOverlay: (message: OverlayMessage) => ipcRenderer.send(IpcChannel.annotationOverlay, message),
  onOverlayMarks: (listener: (message: OverlayMessage) => void) => subscribe(IpcChannel.overlayMarks, listener),
};

/** Main → renderer events, without handing the renderer the IPC event object. */
function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.off(channel, wrapped);
}

contextBridge.exposeInMainWorld('peerdesk', api);
