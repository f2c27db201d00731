import { h } from './dom';

/**
 * A display name is whatever the other side typed: prompts say so, so "Contoso IT Helpdesk" reads as a claim,
 * not as something PeerDesk checked.
 */
export function claimedName(name: string): Array<HTMLElement | string> {
  return ['Someone who says they are ', h('span', { class: 'who' }, `“${name}”`)];
}
