import type { PeerDeskHostApi } from './host-api';

/** Host API methods that cross IPC (subscriptions are events, below; `version` is a constant). */
type HostMethod = Exclude<keyof PeerDeskHostApi, 'version' | 'onControlState' | 'onStopRequested' | 'onOverlayMarks'>;
/** Main → renderer events behind the API's `on…` subscriptions. */
type HostEvent = 'controlState' | 'stopRequested' | 'overlayMarks';

/**
 * IPC channel names between preload and main, keyed by the host API: a method added to PeerDeskHostApi without
 * a channel here (or a channel for no method) is a compile error.
 */
export const IpcChannel = {
  listSources: 'peerdesk:list-sources',
  selectSource: 'peerdesk:select-source',
  signalingUrl: 'peerdesk:signaling-url',
  startControlSession: 'peerdesk:start-control-session',
  controlMessage: 'peerdesk:control-message',
  revokeControl: 'peerdesk:revoke-control',
  endControlSession: 'peerdesk:end-control-session',
  reportSharing: 'peerdesk:report-sharing',
  requestStop: 'peerdesk:request-stop',
  answerControlPrompt: 'peerdesk:answer-control-prompt',
  settings: 'peerdesk:settings',
  saveSettings: 'peerdesk:save-settings',
  platformNotices: 'peerdesk:platform-notices',
  lanViewerUrl: 'peerdesk:lan-viewer-url',
  saveFileBegin: 'peerdesk:save-file-begin',
  saveFileChunk: 'peerdesk:save-file-chunk',
  saveFileFinish: 'peerdesk:save-file-finish',
  saveFileAbort: 'peerdesk:save-file-abort',
  readClipboard: 'peerdesk:read-clipboard',
  writeClipboard: 'peerdesk:write-clipboard',
  setClipboardSharing: 'peerdesk:set-clipboard-sharing',
  technicianSignIn: 'peerdesk:technician-sign-in',
  technicianSignOut: 'peerdesk:technician-sign-out',
  technicianStatus: 'peerdesk:technician-status',
  annotationOverlay: 'peerdesk:annotation-overlay',
  /** main → renderer */
  controlState: 'peerdesk:control-state',
  stopRequested: 'peerdesk:stop-requested',
  /** main → the overlay window only */
  overlayMarks: 'peerdesk:overlay-marks',
} as const satisfies Record<HostMethod | HostEvent, `peerdesk:${string}`>;
