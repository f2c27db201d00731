import { PROTOCOL_VERSION } from '../../protocol/limits';
import type { IceServer, ServerMessage } from '../../protocol/signaling-messages';
import { groupCode } from '../format';
import { persistentCertificate } from '../net/dtls-certificate';
import { SignalingConnection } from '../net/signaling-connection';
import { reportToAudit } from '../session/audit-reporter';
import { SessionLog } from '../session/session-log';
import { ConnectionNote } from '../ui/connection-note';
import { focusFirst, mount } from '../ui/dom';
import { tabCodeMemory } from '../ui/security-code-badge';
import { type JoinDetails, joinForm } from './join-form';
import { clearTicket, saveTicket, type StoredTicket } from './resume-ticket';
import { joinErrorText } from './viewer-messages';
import { type Approach, type ViewerEffect, type ViewerEvent, type ViewerState, viewerStep } from './viewer-session-machine';
import { connectingView, endedView, startingView, waitingView } from './viewer-views';
import { afterAnswer, prepareViewerLink, Watch } from './viewer-watch';
import type { PeerLink } from '../net/peer-link';

/** How long a viewer waits for the host to answer before giving up. */
const DECISION_TIMEOUT_MS = 120_000;
/**
 * How long a link that closed under the page waits for the server to say why. A host that ends the session (or
 * closes its page) tells the server, but its side of the link closes at the same moment, and that news can come first.
 */
const END_REASON_WAIT_MS = 1000;
/** The watch is drawn once the answer is out; if no offer comes this soon, it is drawn anyway. */
const WATCH_DRAW_WAIT_MS = 1500;

type EffectRunners = { [D in ViewerEffect['do']]: (effect: Extract<ViewerEffect, { do: D }>) => void };

/**
 * The "Give help" role: join with code + PIN (or a picked request, or back after a reload), wait for consent, watch.
 * The decisions are the state machine's (`viewer-session-machine.ts`); this controller turns the world into its
 * events, carries out its effects, and paints the state's view.
 */
export class ViewerScreen {
  private state: ViewerState = { kind: 'idle' };
  private readonly queue: ViewerEvent[] = [];
  private conn?: SignalingConnection;
  private watch?: Watch;
  /** The peer link made while the person decides, until the watch takes it (after the answer); teardown closes it. */
  private prepared?: PeerLink;
  private note?: ConnectionNote;
  /** The session's log while it runs; the finished one, for the end card. */
  private log?: SessionLog;
  private endedLog?: SessionLog;
  private details?: JoinDetails;
  /** This page's DTLS certificate, kept across reloads so the security code stays the one compared. */
  private certificate?: RTCCertificate;
  private decisionTimer?: ReturnType<typeof setTimeout>;
  private endReasonTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly root: HTMLElement,
    private readonly signalingUrl: string,
    private readonly onExit: () => void,
    private readonly relayOnly = false,
    /** The desktop app's configured name, used until the technician types another. */
    private readonly defaultName = '',
  ) {}

  start(error?: string): void {
    this.dispatch({ type: 'show-form', error });
  }

  /**
   * A signed-in technician picked a help request in the console (`/console`): no code or PIN — the pick seats this
   * connection in the person's session, and the person's Allow starts it like any join.
   */
  async pick(requestId: string): Promise<void> {
    this.dispatch({ type: 'approach', approach: { via: 'pick', requestId } });
  }

  /** Back into the session this tab held before a reload: no PIN, no new Allow; control must be asked for again. */
  async resume(ticket: StoredTicket): Promise<void> {
    this.dispatch({ type: 'approach', approach: { via: 'resume', ticket } });
  }

  /** Runs one event to completion (its effects and the repaint) before the next, whatever the effects dispatch. */
  private dispatch(event: ViewerEvent): void {
    this.queue.push(event);
    if (this.queue.length > 1) return;
    while (this.queue.length) {
      const current = this.queue[0];
      const before = this.state;
      const step = viewerStep(before, current);
      if (step) {
        this.state = step.next;
        for (const effect of step.effects) (this.run[effect.do] as (e: ViewerEffect) => void)(effect);
        if (before.kind !== step.next.kind || current.type === 'show-form') this.paint();
      }
      this.queue.shift();
    }
  }

  private readonly run: EffectRunners = {
    'open-server': (e) => void this.openServer(e.approach),
    'start-decision-timer': () => (this.decisionTimer = setTimeout(() => this.dispatch({ type: 'decision.timeout' }), DECISION_TIMEOUT_MS)),
    'clear-decision-timer': () => clearTimeout(this.decisionTimer),
    'start-log': (e) => {
      if (!e.rejoined) tabCodeMemory.clear();
      const code = groupCode(this.details?.code ?? '');
      this.log = new SessionLog();
      this.log.record('joined', e.rejoined ? `Rejoined session ${code} after a reload` : `Joined session ${code}`);
    },
    'prepare-link': () => {
      if (this.conn) this.prepared = prepareViewerLink(this.conn, this.relayOnly, this.certificate);
    },
    'connect-peer': (e) => this.connectPeer(e.iceServers),
    'probe-link': () => void this.watch?.silent().then((silent) => silent && this.dispatch({ type: 'link.gone' })),
    'await-end-reason': () => (this.endReasonTimer = setTimeout(() => this.dispatch({ type: 'link.gone' }), END_REASON_WAIT_MS)),
    'say-goodbye': () => {
      this.conn?.send({ type: 'leave' });
      this.watch?.sayEnd();
    },
    teardown: (e) => this.teardown(e.record),
    warn: (e) => console.warn('signaling error', e.code, e.text),
  };

  private async openServer(approach: Approach): Promise<void> {
    this.details = detailsFor(approach, this.defaultName);
    if (approach.via !== 'pick') this.certificate = await persistentCertificate();
    const conn = new SignalingConnection(
      this.signalingUrl,
      approach.via === 'resume' ? approach.ticket : undefined,
      approach.via === 'join' ? approach.details.code : undefined,
    );
    this.conn = conn;
    this.note = new ConnectionNote(conn, 'The other side');
    conn.on((m) => this.onMessage(m));
    conn.onStatus = (status) => this.note?.setStatus(status);
    conn.onClose = (reason) => this.dispatch({ type: 'server.closed', message: reason });
    try {
      await conn.ready;
    } catch (err) {
      return this.dispatch({ type: 'server.unreachable', message: (err as Error).message });
    }
    if (approach.via === 'join') conn.send({ type: 'viewer.join', v: PROTOCOL_VERSION, ...approach.details });
    if (approach.via === 'pick') conn.send({ type: 'queue.pick', requestId: approach.requestId });
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'resume.token') {
      if (this.details && !this.details.code) this.details.code = m.code;
      return saveTicket({ code: m.code, token: m.token, name: this.details?.name ?? '', graceMs: m.graceMs });
    }
    const event = viewerEventOf(m);
    if (event) this.dispatch(event);
  }

  private connectPeer(iceServers: IceServer[]): void {
    const { conn, log } = this;
    if (!conn) return;
    const link = this.prepared ?? prepareViewerLink(conn, this.relayOnly, this.certificate);
    this.prepared = link;
    link.setIceServers(iceServers);
    if (log) reportToAudit(log, (m) => this.conn?.send(m));
    this.note?.attachLink(link.toolkit);
    afterAnswer(link, WATCH_DRAW_WAIT_MS, () => this.drawWatch(link));
  }

  /** The watch takes the link, unless the session ended meanwhile (teardown closed the link). */
  private drawWatch(link: PeerLink): void {
    const { conn } = this;
    if (!conn || this.prepared !== link) return;
    this.prepared = undefined;
    const options = { log: this.log, code: this.details?.code ?? '', note: this.note?.element };
    this.watch = new Watch(conn, link, options, {
      ended: (reason) => this.dispatch({ type: 'ended', reason }),
      failed: (iceState) => this.dispatch({ type: 'link.failed', iceState }),
      closed: () => this.dispatch({ type: 'link.closed', serverOnline: this.conn?.status === 'online' }),
      leave: () => this.dispatch({ type: 'leave' }),
    });
    if (this.state.kind === 'watching') this.paint();
    // Closed before the watch listened: its close event is gone, so it is said now.
    if (link.peer.destroyed) this.dispatch({ type: 'link.closed', serverOnline: this.conn?.status === 'online' });
  }

  /** Everything of the session goes; `record`: the end line of its log, kept for the end card. */
  private teardown(record?: string): void {
    clearTimeout(this.decisionTimer);
    clearTimeout(this.endReasonTimer);
    // Said out loud, so the host does not wait out the grace period for a technician who is not coming back.
    if (this.conn?.status === 'online') this.conn.send({ type: 'leave' });
    clearTicket();
    tabCodeMemory.clear();
    this.watch?.dispose();
    this.watch = undefined;
    this.prepared?.destroy();
    this.prepared = undefined;
    this.conn?.close();
    this.conn = undefined;
    if (record === undefined) return;
    this.endedLog = this.log;
    this.log = undefined;
    this.endedLog?.record('ended', `Session ended: ${record}`);
  }

  private paint(): void {
    const s = this.state;
    if (s.kind === 'idle') return;
    document.body.dataset.viewerState = s.kind;
    mount(this.root, this.viewOf(s));
    if (s.kind !== 'form') focusFirst(this.root);
  }

  private viewOf(s: Exclude<ViewerState, { kind: 'idle' }>): HTMLElement {
    switch (s.kind) {
      case 'form':
        return joinForm(
          (details) => this.dispatch({ type: 'approach', approach: { via: 'join', details } }),
          s.error,
          this.defaultName,
          s.error ? this.details : undefined,
        );
      case 'connecting':
        return connectingView(s);
      case 'waiting':
        return waitingView(this.details?.code ?? '', () => this.dispatch({ type: 'leave' }));
      case 'watching':
        return this.watch?.element ?? startingView();
      case 'ended':
        return endedView(s, this.endedLog, () => this.start(), this.onExit);
    }
  }
}

function detailsFor(approach: Approach, defaultName: string): JoinDetails {
  switch (approach.via) {
    case 'join':
      return approach.details;
    case 'pick':
      return { code: '', pin: '', name: defaultName };
    case 'resume':
      return { code: approach.ticket.code, pin: '', name: approach.ticket.name };
  }
}

/** A server message as the viewer session's event; undefined for those that change no state. */
export function viewerEventOf(m: ServerMessage): ViewerEvent | undefined {
  switch (m.type) {
    case 'queue.taken':
      return { type: 'queue.taken' };
    case 'session.resumed':
      return { type: 'session.resumed', iceServers: m.iceServers };
    case 'join.pending':
      return { type: 'join.pending' };
    case 'join.accepted':
      return { type: 'join.accepted', iceServers: m.iceServers };
    case 'join.denied':
      return { type: 'ended', reason: m.reason ?? 'denied' };
    case 'session.ended':
    case 'peer.left':
      return { type: 'ended', reason: m.reason };
    case 'peer.away':
      return { type: 'peer.away' };
    case 'error':
      return { type: 'server.error', code: m.code, text: joinErrorText(m) };
    default:
      return undefined;
  }
}
