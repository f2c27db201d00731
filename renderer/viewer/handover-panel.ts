import type { HandoverTarget, ServerMessage } from '../../protocol/signaling-messages';
import type { SignalingConnection } from '../net/signaling-connection';
import { h } from '../ui/dom';

/** Refusals a hand-over can meet; anything else is not this panel's to show. */
const HANDOVER_ERRORS = new Set(['SIG_ERR_BAD_STATE', 'SIG_ERR_UNKNOWN_TEAM', 'SIG_ERR_SIGN_IN_REQUIRED', 'SIG_ERR_BAD_MESSAGE']);

/**
 * The viewer toolbar's "Hand over" menu, for a signed-in technician in a session: to a named colleague (their
 * sign-in email) or back to a team's queue, with a note for whoever takes it. The server ends this technician's part
 * at once and asks the person again for the next one; this menu only asks. Hidden unless the server's support
 * queue is on (it answers `help.options`).
 */
export class HandoverPanel {
  private readonly email = h('input', { type: 'email', id: 'handover-email', maxlength: 254, placeholder: 'colleague@example.com' });
  private readonly team = h('select', { id: 'handover-team' }, h('option', { value: '' }, 'any technician'));
  private readonly note = h('textarea', { id: 'handover-note', rows: 2, maxlength: 500, placeholder: 'What they should know' });
  private readonly status = h('p', { class: 'hint', id: 'handover-status', role: 'status' });
  private asked = false;
  readonly element: HTMLDetailsElement;

  constructor(private readonly conn: SignalingConnection) {
    this.element = h(
      'details',
      { class: 'keys-menu toolbar-menu handover-menu', id: 'handover-menu', hidden: true },
      h('summary', { class: 'secondary' }, 'Hand over'),
      h(
        'form',
        { class: 'handover-form', on: { submit: (e) => e.preventDefault() } },
        h('p', { class: 'hint' }, 'Your view and control end now; the person is asked again before anyone else sees their screen.'),
        h('label', {}, 'Colleague’s sign-in email', this.email),
        h(
          'button',
          { type: 'button', class: 'primary', id: 'handover-colleague', on: { click: () => this.toColleague() } },
          'Hand to colleague',
        ),
        h('label', {}, 'Or back to the queue of', this.team),
        h('button', { type: 'button', class: 'secondary', id: 'handover-queue', on: { click: () => this.toQueue() } }, 'Back to the queue'),
        h('label', {}, 'Note for them (optional)', this.note),
        this.status,
      ),
    );
    conn.on((m) => this.onMessage(m));
    conn.send({ type: 'help.options' });
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'help.options') {
      this.element.hidden = !m.enabled;
      this.team.append(...m.teams.map((t) => h('option', { value: t }, `team ${t}`)));
    } else if (m.type === 'error' && this.asked && HANDOVER_ERRORS.has(m.code)) {
      this.asked = false;
      this.say('error', m.message);
    }
  }

  private toColleague(): void {
    const email = this.email.value.trim();
    if (!email || !this.email.checkValidity()) return this.say('error', 'Type your colleague’s sign-in email.');
    this.send({ technician: email });
  }

  private toQueue(): void {
    this.send(this.team.value ? { team: this.team.value } : {});
  }

  private send(to: HandoverTarget): void {
    const note = this.note.value.trim();
    this.asked = true;
    this.say('hint busy', 'Handing over…');
    this.conn.send({ type: 'help.handover', to, ...(note ? { note } : {}) });
  }

  private say(className: string, text: string): void {
    this.status.className = className;
    this.status.textContent = text;
  }
}
