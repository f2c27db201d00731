import { displayName } from '../../common/display-text';
import { h } from '../ui/dom';
import { type CodeMemory, securityCodeBadge } from '../ui/security-code-badge';
import { identityTag } from '../ui/technician-identity';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';

export interface SharingBarInput {
  sourceLabel: string;
  viewerName: string;
  /** The technician as the server verified them; absent: the name was typed. */
  viewerIdentity?: VerifiedIdentity;
  pc?: RTCPeerConnection;
  /** The chat panel's toggle (with its unread badge), once the connection is up. */
  chatToggle?: HTMLElement;
  filesToggle?: HTMLElement;
  logToggle?: HTMLElement;
  /** The red "Recording" mark with its Stop (one element for the session, hidden while nothing records). */
  recordingMark?: HTMLElement;
  /** The session's first security code: a later link with another one says so. */
  codeMemory?: CodeMemory;
  onSwitch: () => void;
  onStop: () => void;
}

/** "Sharing <source> with <name>", the security code to compare on the phone, Switch source and Stop. */
export function sharingBar({
  sourceLabel,
  viewerName,
  viewerIdentity,
  pc,
  chatToggle,
  filesToggle,
  logToggle,
  recordingMark,
  codeMemory,
  onSwitch,
  onStop,
}: SharingBarInput): HTMLElement {
  return h(
    'section',
    { class: 'sharing-bar', role: 'status' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
    h('span', { id: 'sharing-text' }, `Sharing ${displayName(sourceLabel)} with ${displayName(viewerName)}`),
    recordingMark ?? null,
    // Who (verified or not) and the security code side by side: together they say who is at the other end and
    // that nobody sits between.
    identityTag({ name: viewerName, identity: viewerIdentity }),
    pc ? securityCodeBadge(pc, viewerName, codeMemory) : null,
    chatToggle ?? null,
    filesToggle ?? null,
    logToggle ?? null,
    h('button', { class: 'secondary', id: 'switch-source', on: { click: onSwitch } }, 'Switch source'),
    h('button', { class: 'danger', id: 'stop-sharing', on: { click: onStop } }, 'Stop'),
  );
}
