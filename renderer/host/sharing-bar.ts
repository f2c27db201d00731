import { displayName } from '../../common/display-text';
import { h } from '../ui/dom';
import { securityCodeBadge } from '../ui/security-code-badge';

export interface SharingBarInput {
  sourceLabel: string;
  viewerName: string;
  pc?: RTCPeerConnection;
  /** The chat panel's toggle (with its unread badge), once the connection is up. */
  chatToggle?: HTMLElement;
  filesToggle?: HTMLElement;
  logToggle?: HTMLElement;
  onSwitch: () => void;
  onStop: () => void;
}

/** "Sharing <source> with <name>", the security code to compare on the phone, Switch source and Stop. */
export function sharingBar({
  sourceLabel,
  viewerName,
  pc,
  chatToggle,
  filesToggle,
  logToggle,
  onSwitch,
  onStop,
}: SharingBarInput): HTMLElement {
  return h(
    'section',
    { class: 'sharing-bar', role: 'status' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
    h('span', { id: 'sharing-text' }, `Sharing ${displayName(sourceLabel)} with ${displayName(viewerName)}`),
    pc ? securityCodeBadge(pc, viewerName) : null,
    chatToggle ?? null,
    filesToggle ?? null,
    logToggle ?? null,
    h('button', { class: 'secondary', id: 'switch-source', on: { click: onSwitch } }, 'Switch source'),
    h('button', { class: 'danger', id: 'stop-sharing', on: { click: onStop } }, 'Stop'),
  );
}
