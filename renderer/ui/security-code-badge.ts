import { securityCode } from '../net/security-code';
import { h } from './dom';

/**
 * "Security code 123 456", filled in once the connection is up. Both people see the same code only when
 * nobody sits between them; the title says what to do with it.
 */
export function securityCodeBadge(pc: RTCPeerConnection, otherPerson: string): HTMLElement {
  const value = h('strong', { id: 'security-code' }, '…');
  const badge = h(
    'span',
    {
      class: 'security-code',
      title: `Read this code to ${otherPerson} on the phone. If theirs is different, someone is in the middle: end the session.`,
    },
    'Security code ',
    value,
  );
  const fill = () => {
    if (pc.connectionState !== 'connected') return;
    pc.removeEventListener('connectionstatechange', fill);
    void securityCode(pc).then((code) => (value.textContent = code ?? 'unavailable'));
  };
  pc.addEventListener('connectionstatechange', fill);
  fill();
  return badge;
}
