import type { ServerMessage } from '../../protocol/signaling-messages';
import type { ResumeTicket } from '../net/signaling-connection';

/**
 * A host page's way back to the help request it left waiting, across a reload: the session's single-use resume
 * token (the server checks it and rotates it; only its holder re-attaches) with the code and PIN the ready card
 * shows. Kept in sessionStorage — this tab only, gone with it — and only while a request waits; `until` is the end
 * of the server's grace period, stamped as the page goes away.
 */
export interface WaitingTicket extends ResumeTicket {
  pin: string;
  inviteUrl: string;
  graceMs: number;
  until?: number;
}

const KEY = 'peerdesk.host-waiting';

/** A ticket this tab may still use, or nothing (and a stale one is dropped). */
export function loadWaitingTicket(now = Date.now()): WaitingTicket | undefined {
  try {
    const t = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as WaitingTicket | null;
    if (!t || typeof t.code !== 'string' || typeof t.token !== 'string' || typeof t.pin !== 'string') return undefined;
    if (t.until !== undefined && t.until < now) return void sessionStorage.removeItem(KEY);
    return t;
  } catch {
    return undefined;
  }
}

/**
 * Follows the host's connection: remembers the session's code, PIN and latest token, and keeps them in storage
 * only while a help request waits (`help.queued` until picked, ended or cancelled).
 */
export class WaitingTicketKeeper {
  private ticket: Partial<WaitingTicket>;
  private waiting = false;

  constructor(resumed?: WaitingTicket) {
    this.ticket = { ...resumed };
    delete this.ticket.until;
    addEventListener('pagehide', () => this.waiting && this.save(Date.now() + (this.ticket.graceMs ?? 0)));
  }

  /** Whether a request waits now: the page may then go without `leave`, to come back to it. */
  get keepsRequest(): boolean {
    return this.waiting;
  }

  track(m: ServerMessage): void {
    const t = this.ticket;
    switch (m.type) {
      case 'host.opened':
      case 'session.pin':
        Object.assign(t, m.type === 'host.opened' ? { code: m.code } : {}, { pin: m.pin, inviteUrl: m.inviteUrl });
        break;
      case 'resume.token':
        Object.assign(t, { code: m.code, token: m.token, graceMs: m.graceMs });
        break;
      case 'help.queued':
        this.waiting = true;
        break;
      case 'help.taken':
      case 'help.ended':
      case 'session.ended':
        this.waiting = false;
        break;
      case 'error':
        if (m.code === 'SIG_ERR_RESUME_FAILED') this.waiting = false;
        break;
      default:
        return;
    }
    if (this.waiting) this.save();
    else sessionStorage.removeItem(KEY);
  }

  private save(until?: number): void {
    const t = this.ticket;
    if (!t.code || !t.token || !t.pin) return;
    sessionStorage.setItem(KEY, JSON.stringify({ ...t, ...(until ? { until } : {}) }));
  }
}
