/** IPC channel names between preload and main; one record so a missing channel is a compile error. */
export const IpcChannel = {
  listSources: 'peerdesk:list-sources',
  selectSource: 'peerdesk:select-source',
  signalingUrl: 'peerdesk:signaling-url',
} as const satisfies Record<string, `peerdesk:${string}`>;
