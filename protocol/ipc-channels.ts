/** IPC channel names between preload and main; one record so a missing channel is a compile error. */
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
  /** main → renderer */
  controlState: 'peerdesk:control-state',
  stopRequested: 'peerdesk:stop-requested',
} as const satisfies Record<string, `peerdesk:${string}`>;
