import type { QueueEntry, ServerMessage } from '../../protocol/signaling-messages';
import { SignalingConnection } from '../net/signaling-connection';
import { h, mount } from '../ui/dom';
import { NewRequestAlert } from './new-request-alert';
import { QueueList } from './queue-list';
import { RecordingsPanel } from './recordings-panel';
import { SessionsPanel } from './sessions-panel';

/** What `/auth/me` says about this browser's sign-in. */
interface Me {
  enabled: boolean;
  signedIn: boolean;
  name?: string;
  email?: string;
  org?: string | null;
  admin?: boolean;
}

/**
 * `/console`: the technician's page. Signed in, it shows the live support queue (a snapshot, then every change as
 * the server pushes it) and Pick opens the request in the viewer. Not signed in, it says how to get there.
 * Below the queue, the technician's sessions from the audit trail (an admin's: everyone's), `sessions-panel.ts`, and
 * the session recordings the server keeps, `recordings-panel.ts`.
 */
export class ConsoleScreen {
  private conn?: SignalingConnection;
  private list?: QueueList;

  constructor(
    private readonly root: HTMLElement,
    private readonly signalingUrl: string,
    /** Opens the viewer for a picked request; `back` returns to the console. */
    private readonly openPicked: (requestId: string, name: string, back: () => void) => void,
  ) {}

  async start(): Promise<void> {
    document.body.dataset.screen = 'console';
    let me: Me;
    try {
      me = (await (await fetch('/auth/me', { credentials: 'same-origin' })).json()) as Me;
    } catch {
      return this.show(h('p', { class: 'error' }, 'This page could not reach its PeerDesk server.'));
    }
    if (!me.enabled) return this.show(signInOff());
    if (!me.signedIn) return this.show(signInFirst());
    await this.watch(me);
  }

  private async watch(me: Me): Promise<void> {
    const alert = new NewRequestAlert();
    const list = new QueueList((entry) => this.pick(entry, me));
    this.list = list;
    const status = h('p', { class: 'status busy', id: 'queue-status', role: 'status' }, 'Connecting to the queue…');
    const sessions = new SessionsPanel(me.admin === true);
    const recordings = new RecordingsPanel(me.admin === true);
    const who = [me.name, me.email && `(${me.email})`, me.org && `· ${me.org}`].filter(Boolean).join(' ');
    this.show(
      h('p', { class: 'signed-in hint', id: 'signed-in-as' }, `Signed in as ${who}`),
      h('div', { class: 'console-tools' }, alert.element),
      status,
      list.emptyNote,
      list.element,
      sessions.element,
      recordings.element,
    );
    void sessions.load();
    void recordings.load();
    const conn = new SignalingConnection(this.signalingUrl);
    this.conn = conn;
    conn.on((m) => this.onMessage(m, status, alert));
    conn.onClose = (reason) => {
      status.className = 'error';
      status.textContent = `The queue is not live any more: ${reason || 'connection lost'}. Reload the page.`;
    };
    try {
      await conn.ready;
    } catch (err) {
      return conn.onClose?.((err as Error).message);
    }
    conn.send({ type: 'queue.watch' });
  }

  private onMessage(m: ServerMessage, status: HTMLElement, alert: NewRequestAlert): void {
    switch (m.type) {
      case 'queue.snapshot':
        status.className = 'hint';
        status.textContent = 'Live: requests appear and disappear here as they happen.';
        return this.list?.replace(m.requests);
      case 'queue.added':
        this.list?.add(m.request);
        return alert.announce(m.request);
      case 'queue.removed':
        return this.list?.remove(m.requestId);
      case 'error':
        status.className = 'error';
        status.textContent = m.message;
        return;
    }
  }

  private pick(entry: QueueEntry, me: Me): void {
    this.stop();
    this.openPicked(entry.requestId, me.name ?? '', () => void this.start());
  }

  private stop(): void {
    this.list?.dispose();
    this.conn?.close();
    this.conn = undefined;
  }

  private show(...content: HTMLElement[]): void {
    mount(this.root, h('section', { class: 'console card', id: 'console' }, h('h1', {}, 'Support queue'), ...content));
  }
}

function signInOff(): HTMLElement {
  return h(
    'div',
    { id: 'console-off' },
    h('p', {}, 'The console and the support queue are off: this server has no technician sign-in configured.'),
    h(
      'p',
      { class: 'hint' },
      'To try it on this machine, start the server with ',
      h('code', {}, '--dev-idp'),
      ' (a test identity provider on loopback; sign in as tech@example.com). For real use, configure your organisation’s provider with ',
      h('code', {}, '--oidc-issuer'),
      '.',
    ),
  );
}

function signInFirst(): HTMLElement {
  return h(
    'div',
    { id: 'console-sign-in' },
    h('p', {}, 'Sign in as a technician to see the people waiting for help.'),
    h('a', { class: 'primary button', id: 'sign-in', href: '/auth/login?return=/console' }, 'Sign in'),
  );
}
