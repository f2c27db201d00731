import { messageFor } from '../../protocol/error-messages';
import type { ServerMessage, ServerMessageOf } from '../../protocol/signaling-messages';
import type { SignalingConnection } from '../net/signaling-connection';
import { waitingFor } from '../console/queue-list';
import { displayName } from '../../common/display-text';
import { h } from '../ui/dom';
import { WaitingTicketKeeper, type WaitingTicket } from './waiting-ticket';

type Options = ServerMessageOf<'help.options'>;

const ENDED: Record<string, string> = {
  cancelled: 'You cancelled your request.',
  expired: 'No technician was free in time, so your request expired. You can ask again, or give the code and PIN to a technician.',
  declined: 'You declined the technician, and your request was closed.',
  unavailable: 'Your request could not be handed to a technician. You can ask again.',
};

/**
 * "Request help" on the Get-help screen: asks any signed-in technician through the server's support queue instead
 * of reading out a code. Shows the place in the queue and the waiting time live, and Cancel. Appears only when the
 * server has the queue on (it answers `help.options`); the code and PIN stay for everyone else.
 */
export class HelpRequestPanel {
  readonly element = h('div', { class: 'help-request', id: 'help-request' });
  private options?: Options;
  private waiting?: { requestId: string; position: number; since: number; expiresAt: number };
  private notice?: string;
  private readonly noticeLine = h('p', { class: 'notice', id: 'help-notice', role: 'status', hidden: true });
  private card?: WaitingCardView;
  private request?: RequestFormView;
  private readonly timer = setInterval(() => this.waiting && this.render(), 15_000);
  /** The request's way back after a reload of this page (sessionStorage, while it waits). */
  private readonly ticket: WaitingTicketKeeper;

  constructor(
    private readonly conn: SignalingConnection,
    private readonly defaultName = '',
    /** What the technician sees about this side ("PeerDesk desktop", "Browser"; the OS). */
    private readonly facts: { app: string; os?: string },
    /** Set when this page resumed the session of a request it left waiting (a reload). */
    private readonly resumed?: WaitingTicket,
  ) {
    this.ticket = new WaitingTicketKeeper(resumed);
    conn.on((m) => this.onMessage(m));
  }

  /** A request waits: the page may go without ending the session, and a reload takes the request back. */
  get keepsRequest(): boolean {
    return this.ticket.keepsRequest;
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private onMessage(m: ServerMessage): void {
    this.ticket.track(m);
    switch (m.type) {
      case 'session.resumed':
        if (!this.resumed || m.role !== 'host') return;
        this.conn.send({ type: 'help.options' });
        return this.conn.send({ type: 'help.reclaim' });
      case 'host.opened':
        return this.conn.send({ type: 'help.options' });
      case 'help.options':
        this.options = m;
        return this.render();
      case 'help.queued':
        this.notice = m.handover ? handoverNotice(m.handover) : undefined;
        this.waiting = { requestId: m.requestId, position: m.position, since: m.waitingSince, expiresAt: m.expiresAt };
        return this.render();
      case 'help.position':
        if (this.waiting?.requestId === m.requestId) this.waiting.position = m.position;
        return this.render();
      case 'help.taken':
        this.waiting = undefined;
        this.notice = `${m.identity.name} picked your request.`;
        return this.render();
      case 'help.ended':
        this.waiting = undefined;
        this.notice = ENDED[m.reason];
        return this.render();
      case 'error':
        if (!m.code.startsWith('SIG_ERR_QUEUE') && m.code !== 'SIG_ERR_HELP_LIMIT' && m.code !== 'SIG_ERR_UNKNOWN_TEAM') return;
        this.notice = messageFor(m.code);
        return this.render();
    }
  }

  /**
   * Updates in place: the form keeps what the person typed through a refusal (queue full, limit reached) or a
   * reconnect, and the waiting card's Cancel stays the same button while the place and the time tick.
   */
  private render(): void {
    if (!this.options?.enabled) return void this.element.replaceChildren();
    this.noticeLine.textContent = this.notice ?? '';
    this.noticeLine.hidden = !this.notice;
    const body = this.waiting ? this.waitingCard() : this.form();
    if (this.element.firstChild !== this.noticeLine || this.element.lastChild !== body || this.element.childNodes.length !== 2)
      this.element.replaceChildren(this.noticeLine, body);
  }

  private waitingCard(): HTMLElement {
    const w = this.waiting!;
    this.card ??= waitingCardView(() => this.conn.send({ type: 'help.cancel' }));
    this.card.position.textContent = w.position === 1 ? 'You are next in the queue.' : `You are number ${w.position} in the queue.`;
    const until = new Date(w.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    this.card.waited.textContent = `Waiting ${waitingFor(w.since)}. The request stays open until ${until}.`;
    return this.card.element;
  }

  /** The form, built once per set of options; a new set (a reconnect) carries over what was typed. */
  private form(): HTMLElement {
    if (this.request && this.request.options === this.options) return this.request.element;
    const before = this.request;
    this.request = requestFormView(this.options!, this.defaultName, (fields) =>
      this.conn.send({ type: 'help.request', ...fields, ...this.facts }),
    );
    if (before) {
      this.request.name.value = before.name.value;
      this.request.description.value = before.description.value;
    }
    return this.request.element;
  }
}

interface WaitingCardView {
  element: HTMLElement;
  position: HTMLElement;
  waited: HTMLElement;
}

function waitingCardView(cancel: () => void): WaitingCardView {
  const position = h('p', { class: 'status busy', id: 'help-position', role: 'status' });
  const waited = h('p', { class: 'hint', id: 'help-waited' });
  const element = h(
    'div',
    { id: 'help-waiting' },
    h('h3', {}, 'Help requested'),
    position,
    waited,
    h('div', { class: 'actions' }, h('button', { class: 'secondary', id: 'help-cancel', on: { click: cancel } }, 'Cancel request')),
  );
  return { element, position, waited };
}

interface RequestFormView {
  options: Options;
  element: HTMLElement;
  name: HTMLInputElement;
  description: HTMLTextAreaElement;
}

type RequestFields = { name: string; description: string; team?: string };

function requestFormView(options: Options, defaultName: string, submit: (fields: RequestFields) => void): RequestFormView {
  const { teams, maxDescription } = options;
  const name = h('input', { id: 'help-name', required: true, maxlength: 64, value: defaultName, autocomplete: 'name' });
  const description = h('textarea', { id: 'help-description', required: true, maxlength: maxDescription, rows: 3 });
  const team = teams.length > 1 ? h('select', { id: 'help-team' }, ...teams.map((t) => h('option', { value: t }, t))) : undefined;
  const onSubmit = (e: Event) => {
    e.preventDefault();
    submit({
      name: name.value.trim(),
      description: description.value.trim(),
      ...(team ? { team: team.value } : teams.length === 1 ? { team: teams[0] } : {}),
    });
  };
  const element = h(
    'form',
    { id: 'help-form', on: { submit: onSubmit } },
    h('h3', {}, 'Or ask any technician'),
    h('p', { class: 'hint' }, 'Describe the problem and the first free technician picks it up — no code to read out.'),
    h('label', {}, 'Your name', name),
    h('label', {}, 'What do you need help with?', description),
    team ? h('label', {}, 'Team', team) : null,
    h('div', { class: 'actions' }, h('button', { class: 'primary', id: 'help-submit', type: 'submit' }, 'Request help')),
  );
  return { options, element, name, description };
}

/** What the person reads while a session handed over waits for the next technician. */
function handoverNotice({ from, to }: NonNullable<ServerMessageOf<'help.queued'>['handover']>): string {
  const where = 'technician' in to ? to.technician : to.team ? `the ${to.team} team` : 'the next free technician';
  return `${displayName(from.name)} handed your session over to ${displayName(where)}. Nobody sees your screen until you allow the next technician.`;
}

/**
 * In the consent prompt, for a technician who picked this person's request: what they asked for, and what a Deny
 * does with the request. Returns the element and a reader of the choice (undefined for an ordinary join).
 */
export function pickedRequestNote(request: ServerMessageOf<'join.request'>): { element?: HTMLElement; requeue: () => boolean | undefined } {
  if (request.description === undefined) return { requeue: () => undefined };
  const keep = h('input', { type: 'checkbox', id: 'help-requeue', checked: true });
  const element = h(
    'div',
    { class: 'picked-request' },
    request.handedOverBy
      ? h('p', { id: 'handed-over-by' }, `${displayName(request.handedOverBy.name)} (verified) handed your session to them.`)
      : null,
    h('p', {}, 'They picked your help request: ', h('q', { id: 'picked-description' }, request.description)),
    h('label', {}, keep, ' If I deny, keep my request in the queue for another technician'),
  );
  return { element, requeue: () => keep.checked };
}

/** What the technician's console shows about this side. */
export function hostFacts(desktop: boolean): { app: string; os?: string } {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const os = (nav.userAgentData?.platform || navigator.platform || '').replace(/[^\w .()-]/g, '').slice(0, 40);
  return { app: desktop ? 'PeerDesk desktop' : 'Browser', ...(os ? { os } : {}) };
}
