import { securityCode } from '../net/security-code';
import { h } from './dom';

/** The code the two people compared first in this session, so a new connection with another code is said out loud. */
export interface CodeMemory {
  get(): string | undefined;
  set(code: string): void;
}

/**
 * "Security code 123 456", filled in once the connection is up. Both people see the same code only when
 * nobody sits between them; the title says what to do with it. A session's links keep their certificates, so a
 * reload keeps the code; where that failed (a browser that refuses storage), the badge says the code changed, why,
 * and that it must be compared again — on both sides, since both compute it from the same new connection.
 */
export function securityCodeBadge(pc: RTCPeerConnection, otherPerson: string, memory?: CodeMemory): HTMLElement {
  const value = h('strong', { id: 'security-code' }, '…');
  const changed = h('span', { class: 'security-code-changed', id: 'security-code-changed', role: 'alert', hidden: true });
  const badge = h(
    'span',
    {
      class: 'security-code',
      title: `Read this code to ${otherPerson} on the phone. If theirs is different, someone is in the middle: end the session.`,
    },
    'Security code ',
    value,
    changed,
  );
  const show = (code: string | undefined) => {
    value.textContent = code ?? 'unavailable';
    if (!code || !memory) return;
    const first = memory.get();
    if (!first) return memory.set(code);
    if (first === code) return;
    changed.hidden = false;
    changed.textContent = ` — changed (was ${first}): compare it again`;
    badge.title = `The connection was made again (after a reload) with a new certificate, so the code is new. Read it to ${otherPerson} again; if theirs is different, end the session.`;
  };
  const fill = () => {
    if (pc.connectionState !== 'connected') return;
    pc.removeEventListener('connectionstatechange', fill);
    void securityCode(pc).then(show);
  };
  pc.addEventListener('connectionstatechange', fill);
  fill();
  return badge;
}

/** The viewer's memory: this tab's sessionStorage, which survives the reload that makes a new connection. */
export const tabCodeMemory: CodeMemory & { clear(): void } = {
  get: () => sessionStorage.getItem('peerdesk.securityCode') ?? undefined,
  set: (code) => sessionStorage.setItem('peerdesk.securityCode', code),
  clear: () => sessionStorage.removeItem('peerdesk.securityCode'),
};
