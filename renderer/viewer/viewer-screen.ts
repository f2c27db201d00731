import type { EndReason, IceServer, ServerMessage } from '../../protocol/signaling-messages';
import { groupCode } from '../format';
import { tuneVideoReceiver } from '../media/screen-tuning';
import { PeerLink } from '../net/peer-link';
import { SignalingConnection } from '../net/signaling-connection';
import { focusFirst, h, mount } from '../ui/dom';
import { BROWSER_MAX_FILE_BYTES, browserDownloadSink } from '../files/file-sinks';
import { FileTransfers } from '../files/file-transfers';
import { reportToAudit } from '../session/audit-reporter';
import { logControl, logFiles } from '../session/log-recorders';
import { SessionLog } from '../session/session-log';
import { ChatPanel } from '../ui/chat-panel';
import { ClipboardShare } from '../ui/clipboard-share';
import { SessionLogPanel, summaryLine } from '../ui/session-log-panel';
import { TransfersPanel } from '../ui/transfers-panel';
import { endCard } from '../ui/end-card';
import { securityCodeBadge, tabCodeMemory } from '../ui/security-code-badge';
import { ControlPanel } from './control-panel';
import { type JoinDetails, joinForm } from './join-form';
import { fullscreenToggle } from './fullscreen';
import { qualityPicker } from './quality-picker';
import { monitorPicker } from './monitor-picker';
import { StatsPanel } from './stats-panel';
import { VideoStage } from './video-stage';
import { END_CARD, joinErrorText } from './viewer-messages';
import { ConnectionNote } from '../ui/connection-note';
import { LINK_PROBE_MS } from '../net/toolkit-channel';
import { persistentCertificate } from '../net/dtls-certificate';
import { clearTicket, saveTicket, type StoredTicket } from './resume-ticket';
import { HandoverPanel } from './handover-panel';

/** How long a viewer waits for the host to answer before giving up. */
const DECISION_TIMEOUT_MS = 120_000;
/**
 * How long a link that closed under the page waits for the server to say why. A host that ends the session (or
 * closes its page) tells the server, but its side of the link closes at the same moment, and that news can come first.
 */
const END_REASON_WAIT_MS = 1000;

/** The "Give help" role: join with code + PIN, wait for consent, watch. */
export class ViewerScreen {
  private conn?: SignalingConnection;
  private link?: PeerLink;
  private stats?: StatsPanel;
  private control?: ControlPanel;
  private transfers?: FileTransfers;
  private log?: SessionLog;
  private fullscreen?: { dispose: () => void };
  private waitTimer?: ReturnType<typeof setTimeout>;
  private details?: JoinDetails;
  private note?: ConnectionNote;
  private logPanel?: SessionLogPanel;
  /** This page's DTLS certificate, kept across reloads so the security code stays the one compared. */
  private certificate?: RTCCertificate;

  constructor(
    private readonly root: HTMLElement,
    private readonly signalingUrl: string,
    private readonly onExit: () => void,
    private readonly relayOnly = false,
    /** The desktop app's configured name, used until the technician types another. */
    private readonly defaultName = '',
  ) {}

  start(error?: string): void {
    this.setState(
      'form',
      joinForm((d) => void this.join(d), error, this.defaultName, error ? this.details : undefined),
    );
  }

  private async join(details: JoinDetails): Promise<void> {
    this.details = details;
    this.setState('connecting', h('p', { class: 'status busy', role: 'status' }, 'Connecting…'));
    this.certificate = await persistentCertificate();
    if (!(await this.attach(new SignalingConnection(this.signalingUrl)))) return;
    this.conn?.send({ type: 'viewer.join', v: 1, ...details });
  }

  /**
   * A signed-in technician picked a help request in the console (`/console`): no code or PIN — the pick seats this
   * connection in the person's session, and the person's Allow starts it like any join.
   */
  async pick(requestId: string): Promise<void> {
    this.details = { code: '', pin: '', name: this.defaultName };
    this.setState('connecting', h('p', { class: 'status busy', role: 'status' }, 'Picking the request…'));
    if (!(await this.attach(new SignalingConnection(this.signalingUrl)))) return;
    this.conn?.send({ type: 'queue.pick', requestId });
  }

  /** Back into the session this tab held before a reload: no PIN, no new Allow; control must be asked for again. */
  async resume(ticket: StoredTicket): Promise<void> {
    this.details = { code: ticket.code, pin: '', name: ticket.name };
    this.setState('connecting', h('p', { class: 'status busy', role: 'status' }, 'Reconnecting to your session…'));
    this.certificate = await persistentCertificate();
    await this.attach(new SignalingConnection(this.signalingUrl, ticket));
  }

  private async attach(conn: SignalingConnection): Promise<boolean> {
    this.conn = conn;
    this.note = new ConnectionNote(conn, 'The other side');
    conn.on((m) => this.onMessage(m));
    conn.onStatus = (status) => this.note?.setStatus(status);
    // While watching, the live peer link carries on without the server; otherwise there is nothing left.
    conn.onClose = (reason) => (this.link && !this.link.peer.destroyed ? undefined : this.fail(reason));
    try {
      await conn.ready;
      return true;
    } catch (err) {
      this.fail((err as Error).message);
      return false;
    }
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'queue.taken':
        return this.fail('Another technician picked this request first, or it is no longer waiting.', { title: 'Already taken' });
      case 'resume.token':
        if (this.details && !this.details.code) this.details.code = m.code;
        return saveTicket({ code: m.code, token: m.token, name: this.details?.name ?? '', graceMs: m.graceMs });
      case 'session.resumed':
        if (this.link) return;
        this.log = new SessionLog();
        this.log.record('joined', `Rejoined session ${groupCode(this.details?.code ?? '')} after a reload`);
        return this.connectPeer(m.iceServers);
      case 'join.pending':
        return this.showWaiting();
      case 'join.accepted':
        tabCodeMemory.clear();
        this.log = new SessionLog();
        this.log.record('joined', `Joined session ${groupCode(this.details?.code ?? '')}`);
        clearTimeout(this.waitTimer);
        return this.connectPeer(m.iceServers);
      case 'join.denied':
        return this.end(m.reason ?? 'denied');
      case 'session.ended':
      case 'peer.left':
        return this.end(m.reason);
      case 'peer.away':
        // The person's app may have closed or crashed: if the peer link does not answer either, they are gone.
        return void this.checkLinkAlive();
      case 'error':
        if (document.body.dataset.viewerState === 'connecting') this.fail(joinErrorText(m), { backToForm: true });
        else console.warn('signaling error', m.code, m.message);
        return;
    }
  }

  private showWaiting(): void {
    this.waitTimer = setTimeout(
      () => this.fail('The person did not answer in time. Ask them to look at their screen and try again.', { title: 'No answer' }),
      DECISION_TIMEOUT_MS,
    );
    this.setState(
      'waiting',
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Waiting for permission'),
        h(
          'p',
          { class: 'status busy', role: 'status' },
          this.details!.code
            ? `Asked to see the screen of session ${groupCode(this.details!.code)}. They need to click Allow.`
            : 'Asked to see the screen of the person whose request you picked. They need to click Allow.',
        ),
        h('div', { class: 'actions' }, h('button', { class: 'secondary', on: { click: () => this.leave() } }, 'Cancel')),
      ),
    );
  }

  private connectPeer(iceServers: IceServer[]): void {
    const link = new PeerLink(this.conn!, { initiator: false, iceServers, relayOnly: this.relayOnly, certificate: this.certificate });
    this.link = link;
    const stage = new VideoStage();
    this.stats = new StatsPanel(link.pc);
    const log = this.log;
    if (log) reportToAudit(log, (m) => this.conn?.send(m));
    const control = new ControlPanel(link, stage.video, (state) => log && logControl(log, state));
    this.control = control;
    const chat = new ChatPanel(link.toolkit, 'Them');
    this.transfers = new FileTransfers({
      toolkit: link.toolkit,
      pc: link.pc,
      sinkFor: async (name, _size, mime) => browserDownloadSink(name, mime),
      maxBytes: BROWSER_MAX_FILE_BYTES,
    });
    const files = new TransfersPanel(this.transfers);
    // The technician's own timeline during the session, not only on the end card.
    const logPanel = log && new SessionLogPanel(log);
    this.logPanel = logPanel;
    const clipboard = new ClipboardShare(
      link.toolkit,
      'viewer',
      { read: () => navigator.clipboard.readText(), write: (t) => navigator.clipboard.writeText(t) },
      log,
    );
    if (log) logFiles(log, this.transfers);
    this.note?.attachLink(link.toolkit);
    // The host's Stop, said on the peer link: it arrives even when the server has forgotten the session.
    link.toolkit.on((m) => m.t === 'session.end' && this.link === link && this.end(m.reason));
    link.pc.addEventListener('track', (e) => tuneVideoReceiver(e.receiver));
    link.peer.on('stream', (stream: MediaStream) => stage.show(stream));
    link.peer.on('error', () =>
      this.fail(`The connection failed (ICE state: ${link.pc.iceConnectionState}).`, { title: 'Connection failed' }),
    );
    // Only the host can start a new link; a link that closed under this page is the end of it.
    link.peer.on('close', () => this.link === link && this.linkClosed(link));
    link.onIceState = (state) => {
      document.body.dataset.iceState = state;
      banner.hidden = state !== 'disconnected' && state !== 'checking';
    };
    const banner = h('p', { class: 'banner', id: 'reconnecting', hidden: true, role: 'status' }, 'Reconnecting…');
    const modeButton = h(
      'button',
      {
        class: 'secondary',
        id: 'toggle-mode',
        on: {
          click: () => {
            stage.setMode(stage.mode === 'fit' ? 'actual' : 'fit');
            modeButton.textContent = stage.mode === 'fit' ? 'Actual size' : 'Fit to window';
          },
        },
      },
      'Actual size',
    );
    const quality = qualityPicker(link.toolkit, (label) => this.stats?.setQuality(label));
    const toolbar = h(
      'nav',
      { class: 'toolbar', 'aria-label': 'Session' },
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      h('span', {}, this.details!.code ? `Session ${groupCode(this.details!.code)}` : 'Session from the queue'),
      securityCodeBadge(link.pc, 'the person you are helping', tabCodeMemory),
      control.status,
      h('span', { class: 'spacer' }),
      control.button,
      control.keysMenu,
      chat.toggle,
      files.toggle,
      ...(logPanel ? [logPanel.toggle] : []),
      clipboard.element,
      viewMenu([
        modeButton,
        h('button', { class: 'secondary', id: 'toggle-stats', on: { click: () => this.stats?.toggle() } }, 'Stats'),
        h('label', { class: 'menu-label' }, 'Quality ', quality),
        monitorPicker(link.toolkit),
      ]),
      new HandoverPanel(this.conn!).element,
      h('button', { class: 'danger', id: 'leave', on: { click: () => this.leave() } }, 'Leave'),
    );
    const container = h(
      'div',
      { class: 'viewer' },
      toolbar,
      banner,
      this.note?.element,
      this.stats.element,
      stage.element,
      chat.element,
      files.element,
      ...(logPanel ? [logPanel.element] : []),
    );
    const fullscreen = fullscreenToggle(container, toolbar);
    this.fullscreen = fullscreen;
    toolbar.insertBefore(fullscreen.button, toolbar.querySelector('#leave'));
    this.setState('watching', container);
  }

  private async checkLinkAlive(): Promise<void> {
    const link = this.link;
    if (link && !(await link.toolkit.probe(LINK_PROBE_MS)) && this.link === link) this.end('host-disconnected');
  }

  private leave(): void {
    this.conn?.send({ type: 'leave' });
    const link = this.link;
    this.link = undefined;
    link?.toolkit.sendLast({ t: 'session.end', reason: 'viewer-left' }, () => link.destroy());
    this.end('viewer-left');
  }

  /** The end of the session, said with the server's reason when it comes soon after (the host ended it), else "disconnected". */
  private linkClosed(link: PeerLink): void {
    const disconnected = () => this.link === link && this.end('host-disconnected');
    if (this.conn?.status !== 'online') return void disconnected();
    setTimeout(disconnected, END_REASON_WAIT_MS);
  }

  private end(reason: EndReason): void {
    this.fail(END_CARD[reason].text, { title: END_CARD[reason].title });
  }

  /** `title` heads the end card; `backToForm` shows the message on the join form instead (a wrong code, say). */
  private fail(message: string, { title = 'Disconnected', backToForm = false } = {}): void {
    clearTimeout(this.waitTimer);
    // Said out loud, so the host does not wait out the grace period for a technician who is not coming back.
    if (this.conn?.status === 'online') this.conn.send({ type: 'leave' });
    clearTicket();
    tabCodeMemory.clear();
    this.control?.stopCapture();
    this.fullscreen?.dispose();
    this.fullscreen = undefined;
    this.transfers?.dispose();
    this.transfers = undefined;
    this.stats?.dispose();
    this.logPanel?.dispose();
    this.logPanel = undefined;
    this.link?.destroy();
    this.link = undefined;
    this.conn?.close();
    this.conn = undefined;
    if (backToForm) return this.start(message);
    const log = this.log;
    this.log = undefined;
    log?.record('ended', `Session ended: ${message}`);
    const extra = log ? [h('p', { id: 'end-summary' }, summaryLine(log.summary())), openLog(log)] : [];
    this.setState('ended', endCard(title, message, { label: 'Connect again', onClick: () => this.start() }, this.onExit, extra));
  }

  private setState(state: string, ...content: HTMLElement[]): void {
    document.body.dataset.viewerState = state;
    mount(this.root, ...content);
    if (state !== 'form') focusFirst(this.root);
  }
}

/** The log of a finished session, open, with its exports. */
function openLog(log: SessionLog): HTMLElement {
  const panel = new SessionLogPanel(log, true);
  panel.setOpen(true);
  return panel.element;
}

/** Fit / actual size, the stats panel and the quality choice: used now and then, so one menu keeps the toolbar short. */
function viewMenu(items: HTMLElement[]): HTMLElement {
  const menu = h(
    'details',
    { class: 'keys-menu toolbar-menu', id: 'view-menu' },
    h('summary', { class: 'secondary' }, 'View'),
    h('ul', { role: 'menu' }, ...items.map((item) => h('li', { role: 'none' }, item))),
  );
  // A button in the menu closes it; the quality list stays open until a choice is made.
  menu.addEventListener('click', (e) => (e.target as HTMLElement).closest('li button') && (menu.open = false));
  return menu;
}
