import type { ResumeTicket } from '../net/signaling-connection';

/**
 * The viewer's resume token, kept for a page reload: in sessionStorage (this tab only, gone with it), never
 * localStorage, so another tab or a later visit cannot pick it up. `until` is set when the page goes away:
 * the server's grace period counts from then.
 */
export interface StoredTicket extends ResumeTicket {
  name: string;
  graceMs: number;
  until?: number;
}

const KEY = 'peerdesk.viewer-resume';

export function saveTicket(ticket: StoredTicket): void {
  sessionStorage.setItem(KEY, JSON.stringify(ticket));
}

export function clearTicket(): void {
  sessionStorage.removeItem(KEY);
}

/** A ticket this tab may still use, or nothing. */
export function loadTicket(now = Date.now()): StoredTicket | undefined {
  try {
    const t = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StoredTicket | null;
    if (!t || typeof t.code !== 'string' || typeof t.token !== 'string') return undefined;
    if (t.until !== undefined && t.until < now) return void clearTicket();
    return t;
  } catch {
    return undefined;
  }
}

/** Stamps the stored ticket with the end of its grace period as the page goes away (reload, navigation). */
export function stampTicketOnLeave(): void {
  addEventListener('pagehide', () => {
    const t = loadTicket();
    if (t) saveTicket({ ...t, until: Date.now() + t.graceMs });
  });
}
