import type { ControlState } from '../../protocol/control-messages';
import type { SharingStatus } from '../../protocol/host-api';

export interface HostStatus {
  sharing: SharingStatus;
  control: ControlState;
}

export type TrayAction = 'show' | 'stop' | 'revoke' | 'quit';

export interface TrayModel {
  tooltip: string;
  /** Whether the tray shows the "active" look (sharing or controlled). */
  active: boolean;
  items: Array<{ action: TrayAction; label: string; enabled: boolean }>;
}

/** What the tray says and offers for a status: Stop and Take back control only when they do something. */
export function trayModel({ sharing, control }: HostStatus): TrayModel {
  const controlled = control === 'granted';
  const who = sharing && `${sharing.viewer} (${sharing.verified ? 'verified' : 'not verified'})`;
  const tooltip = !sharing
    ? 'PeerDesk — not sharing'
    : controlled
      ? `PeerDesk — ${who} is controlling this computer`
      : `PeerDesk — sharing ${sharing.source} with ${who}`;
  return {
    tooltip,
    active: Boolean(sharing),
    items: [
      { action: 'show', label: 'Open PeerDesk', enabled: true },
      { action: 'stop', label: 'Stop sharing', enabled: Boolean(sharing) },
      { action: 'revoke', label: 'Take back control', enabled: controlled },
      { action: 'quit', label: 'Quit PeerDesk', enabled: true },
    ],
  };
}

/** The indicator's page address for a status, or undefined when it should be hidden. */
export function indicatorQuery({ sharing, control }: HostStatus): string | undefined {
  if (!sharing) return undefined;
  const verified = sharing.verified ? 'yes' : 'no';
  return new URLSearchParams({ window: 'indicator', viewer: sharing.viewer, source: sharing.source, control, verified }).toString();
}
