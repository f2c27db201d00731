import { displayName } from '../../common/display-text';
import { h } from './dom';

/**
 * A display name is whatever the other side typed: prompts say so, so "Contoso IT Helpdesk" reads as a claim,
 * not as something PeerDesk checked. Shown through the display rule: no direction overrides or invisible characters.
 */
export function claimedName(name: string): Array<HTMLElement | string> {
  return ['Someone who says they are ', h('span', { class: 'who' }, `“${displayName(name)}”`)];
}
