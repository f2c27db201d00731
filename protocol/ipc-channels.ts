/** IPC channel names between preload and main; one record so a missing channel is a compile error. */
export const IpcChannel = {
  listSources: 'peerdesk:list-sources',
  selectSource: 'peerdesk:select-source',
  signalingUrl: 'peerdesk:signaling-url',
  startControlSession: 'peerdesk:start-control-session',
  controlMessage: 'peerdesk:control-message',
  revokeControl: 'peerdesk:revoke-control',
  endControlSession: 'peerdesk:end-control-session',
  /** main → renderer */
  controlState: 'peerdesk:control-state',
} as const satisfies Record<string, `peerdesk:${string}`>;
