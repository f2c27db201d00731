import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import type { PlatformNotice } from '../../protocol/settings';
import type { EndReason, IceServer, ServerMessage, ServerMessageOf, VerifiedIdentity } from '../../protocol/signaling-messages';
import { MAX_WRONG_PINS_PER_CODE } from '../../protocol/limits';
import { type Capture, startCapture, stopCapture } from '../media/capture';
import { naiveProfile } from '../instrumented';
import { tuneVideoSender } from '../media/screen-tuning';
import { PeerLink } from '../net/peer-link';
import { LINK_PROBE_MS } from '../net/toolkit-channel';
import { newCertificate } from '../net/dtls-certificate';
import { SignalingConnection } from '../net/signaling-connection';
import { displayName } from '../../common/display-text';
import { focusFirst, h, mount } from '../ui/dom';
import { reportToAudit } from '../session/audit-reporter';
import { logControl } from '../session/log-recorders';
import { SessionLog } from '../session/session-log';
import { SessionLogPanel, summaryLine } from '../ui/session-log-panel';
import { endCard } from '../ui/end-card';
import type { CodeMemory } from '../ui/security-code-badge';
import { ConnectionNote } from '../ui/connection-note';
import { ControlRelay, hotkeyLabel, REVOKE_HOTKEY_LABEL } from './control-relay';
import { HostToolkit } from './host-toolkit';
import { MonitorRelay } from './monitor-relay';
import { interruptedCard } from './interrupted-card';
import { failedJoinsText } from './failed-joins';
import { readyCard } from './ready-card';
import { HelpRequestPanel, hostFacts, pickedRequestNote } from './help-request-panel';
import { loadWaitingTicket, type WaitingTicket } from './waiting-ticket';
import { switchPanel } from './switch-panel';
import { sharingBar } from './sharing-bar';
import { sourcePicker } from './source-picker';
import { viewPrompt } from './view-prompt';
import { VerifiedGate } from './verified-gate';

const END_MESSAGES = {
  expired: 'Your session code expired because nobody used it.',
  'server-shutdown': 'The PeerDesk server shut down.',
  'host-left': 'You ended the session.',
  locked: `Someone tried wrong PINs ${MAX_WRONG_PINS_PER_CODE} times, so this code is now locked. Start a new session and give the new code only to your technician.`,
} satisfies Partial<Record<EndReason, string>>;
/** Well inside the TURN credentials' lifetime (5 min by default), which starts when the request arrives. */
const PREPARED_LINK_MAX_AGE_MS = 60_000;
/** The host's link: it offers, and sends one video track attached (and swapped) later. */
const sendingLink = (conn: SignalingConnection, iceServers: IceServer[], certificate?: RTCCertificate) =>
  new PeerLink(conn, { initiator: true, iceServers, sendsVideo: true, certificate });
/** The log's "joined" line: a verified technician with what the server verified, a typed name as a claim. */
const joinedLine = (name: string, identity?: VerifiedIdentity) =>
  identity
    ? `${displayName(identity.name)} joined (verified: ${displayName(identity.email)}, signed in with ${displayName(identity.issuer)})`
    : `${displayName(name)} joined (says they are “${displayName(name)}”, not verified)`;
const endMessage = (reason: EndReason) => (END_MESSAGES as Partial<Record<EndReason, string>>)[reason] ?? 'The session ended.';

/** The "Get help" role: show a code, ask consent, share, switch, stop. */
export class HostScreen {
  private conn?: SignalingConnection;
  private session?: { code: string; pin: string; inviteUrl: string };
  private request?: ServerMessageOf<'join.request'>;
  private capture?: Capture;
  private link?: PeerLink;
  /** The host's side of the connection, made while the prompt is open; nothing of it is sent before Allow. */
  private prepared?: { requestId: string; link: PeerLink; madeAt: number };
  private admittedId?: string;
  /** When the host pressed Allow: the log's "joined" line, recorded once the server confirms, belongs there. */
  private allowedAt?: number;
  private control?: ControlRelay;
  private toolkit?: HostToolkit;
  private monitors?: MonitorRelay;
  private log?: SessionLog;
  private logPanel?: SessionLogPanel;
  private viewerName = '';
  /** What the server verified about the admitted technician (sign-in); undefined: the name was only typed. */
  private viewerIdentity?: VerifiedIdentity;
  private gate = new VerifiedGate();
  private source?: CaptureSource;
  private revokeLabel = REVOKE_HOTKEY_LABEL;
  private lanUrl?: string;
  private notices: PlatformNotice[] = [];
  private failedJoins?: { attempts: number; max: number };
  private note?: ConnectionNote;
  /** One DTLS certificate for every link of this session: a technician's reload keeps the security code. */
  private certificate?: RTCCertificate;
  private codeMemory?: CodeMemory;
  /** Set while the peer link is down but the technician may still come back (their grace period). */
  private interruptedTimer?: ReturnType<typeof setTimeout>;
  private graceMs = 60_000;
  private maxFileBytes?: number;
  private readonly unsubscribeStop?: () => void;
  /** "Request help" through the support queue, inside the ready card; and the prompt's "keep my request" choice. */
  private help?: HelpRequestPanel;
  private requeueChoice?: () => boolean | undefined;
  private resumed?: WaitingTicket;
  private displayName = '';

  constructor(
    private readonly root: HTMLElement,
    private readonly api: PeerDeskHostApi | undefined,
    private readonly signalingUrl: string,
    private readonly onExit: () => void,
  ) {
    // Stop pressed on the always-on-top indicator or in the tray.
    this.unsubscribeStop = api?.onStopRequested?.(() => this.link && this.endSession());
    // A host page that goes away cannot resume (its capture and peer link die with it): say so now, so the
    // technician is not left waiting out the grace period.
    // A request still waiting (nothing shared yet) stays for the reloaded page to take back: waiting-ticket.ts.
    addEventListener('pagehide', () => (this.help?.keepsRequest ? undefined : this.conn?.send({ type: 'leave' })));
  }

  /** Back to the home screen: this screen is done for good. */
  private exit(): void {
    this.unsubscribeStop?.();
    this.onExit();
  }

  async start(): Promise<void> {
    if (this.api?.settings) {
      const [settings, lanUrl, notices] = await Promise.all([this.api.settings(), this.api.lanViewerUrl?.(), this.api.platformNotices?.()]);
      this.revokeLabel = hotkeyLabel(settings.revokeHotkey);
      this.maxFileBytes = settings.maxFileMiB * 1024 * 1024;
      this.gate = new VerifiedGate(settings);
      this.lanUrl = lanUrl;
      this.notices = notices ?? [];
      this.displayName = settings.displayName;
    }
    this.setState('connecting', h('p', { class: 'status busy', role: 'status' }, 'Connecting to the PeerDesk server…'));
    const resumed = (this.resumed = loadWaitingTicket());
    const conn = new SignalingConnection(this.signalingUrl, resumed);
    this.conn = conn;
    conn.on((m) => this.onMessage(m));
    this.help = new HelpRequestPanel(conn, this.displayName, hostFacts(Boolean(this.api)), resumed);
    this.note = new ConnectionNote(conn, 'Your technician');
    conn.onStatus = (status) => this.note?.setStatus(status);
    // Only a session that cannot be resumed ends here; while sharing, the live peer link carries on without the server.
    conn.onClose = (reason) =>
      this.link && !this.link.peer.destroyed ? undefined : this.end(reason || 'The connection to the PeerDesk server was lost.');
    try {
      await conn.ready;
    } catch (err) {
      return this.end((err as Error).message);
    }
    this.failedJoins = undefined;
    this.certificate = await newCertificate().catch(() => undefined);
    let firstCode: string | undefined;
    this.codeMemory = { get: () => firstCode, set: (code) => (firstCode = code) };
    this.log = new SessionLog();
    reportToAudit(this.log, (m) => conn.send(m));
    this.logPanel?.dispose();
    this.logPanel = new SessionLogPanel(this.log, true);
    if (!resumed) conn.send({ type: 'host.open', v: 1 });
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'host.opened':
        this.session = { code: m.code, pin: m.pin, inviteUrl: m.inviteUrl };
        return this.showReady();
      case 'session.pin':
        if (this.session) this.session = { ...this.session, pin: m.pin, inviteUrl: m.inviteUrl };
        return this.refreshPin();
      case 'join.request':
        if (this.gate.refusal(m)) return this.declineByPolicy(m, this.gate.refusal(m)!);
        this.request = m;
        this.showPrompt();
        // Once the prompt is painted: making the connection must not hold it back. Never after the decision: an
        // admitted viewer's queue is open, and a second link's offer would reach them.
        requestAnimationFrame(() => setTimeout(() => this.request === m && this.admittedId !== m.requestId && this.prepareLink(m)));
        return;
      case 'session.resumed':
        // This page reloaded while its help request waited: the same session, code and PIN; the help panel takes the request back.
        if (!this.resumed || this.session) return;
        this.session = { code: this.resumed.code, pin: this.resumed.pin, inviteUrl: this.resumed.inviteUrl };
        return this.showReady();
      case 'resume.token':
        this.graceMs = m.graceMs;
        return;
      case 'peer.admitted':
        this.log?.record('joined', joinedLine(m.name, m.identity), { viewer: displayName(m.name) }, this.allowedAt);
        return this.connectPeer(m.iceServers, m.requestId);
      case 'peer.away':
        // A crashed or closed page looks like this first: if the peer link does not answer either, it is gone,
        // and control ends now instead of when ICE gives up.
        return void this.checkLinkAlive();
      case 'peer.back':
        // The technician's page reloaded: viewing resumes without a new Allow, on a new peer link; control does not.
        if (!m.renew || !this.capture) return;
        this.log?.record('joined', `${this.viewerName} reconnected after a reload`, { viewer: this.viewerName });
        return this.connectPeer(m.iceServers);
      case 'peer.left':
        return this.viewerLeft(
          m.reason === 'handed-over' ? 'Your technician handed the session over and can no longer see your screen.' : undefined,
        );
      case 'join.failed':
        this.log?.record('join-failed', `Someone tried a wrong PIN (${m.attempts} of ${m.maxAttempts})`, { attempts: m.attempts });
        return this.showFailedJoins(m.attempts, m.maxAttempts);
      case 'session.ended':
        return this.end(endMessage(m.reason));
      case 'error':
        // Refused before any session existed (e.g. too many opens from this network): nothing to wait for.
        if (!this.session) return this.end(m.message);
        console.warn('signaling error', m.code, m.message);
        return;
    }
  }

  private showReady(notice?: string): void {
    if (!this.session) return;
    const { lanUrl, notices } = this;
    const card = readyCard({ session: this.session, notice, lanUrl, notices, gate: this.gate.element, onEnd: () => this.endSession() });
    if (this.help) card.append(this.help.element);
    this.setState('ready', card);
  }

  /** "Only verified technicians": declined at once, never a prompt; the host reads why in a note. */
  private declineByPolicy(m: ServerMessageOf<'join.request'>, why: string): void {
    this.conn?.send({ type: 'host.decide', requestId: m.requestId, allow: false });
    this.log?.record('join-failed', why, { viewer: displayName(m.name) });
    if (!this.request && !this.capture) this.showReady(why);
  }

  /** Someone is guessing this session's PIN: the host should know before the code locks. */
  private showFailedJoins(attempts: number, max: number): void {
    this.failedJoins = { attempts, max };
    this.root.querySelector('#failed-joins')?.remove();
    this.root.append(h('p', { class: 'error', id: 'failed-joins', role: 'alert' }, failedJoinsText(attempts, max)));
  }

  private refreshPin(): void {
    const pin = this.root.querySelector('#session-pin');
    if (pin && this.session) pin.textContent = this.session.pin;
  }

  /** Up at once: the list of what to share fills in while the person reads the request. */
  private showPrompt(): void {
    const request = this.request;
    if (!request) return;
    this.source = undefined;
    const picker = sourcePicker(this.api, (s) => {
      if (this.request === request) this.source = s;
    });
    const prompt = viewPrompt(
      { name: request.name, identity: request.identity },
      picker.element,
      (button) => void this.allow(button),
      () => this.deny(),
    );
    const picked = pickedRequestNote(request);
    this.requeueChoice = picked.requeue;
    if (picked.element) prompt.element.querySelector('h3')?.before(picked.element);
    this.setState('prompt', prompt.element);
    prompt.shown(() => this.request === request, picker.ready);
  }

  private async allow(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    const request = this.request;
    if (!request) return;
    this.allowedAt = Date.now();
    // In the desktop app the picked source always starts, so the viewer is admitted at once and the connection
    // is set up while the capture starts. A browser's own picker can still be cancelled: wait for it there.
    const admitEarly = Boolean(this.api) && !naiveProfile;
    const capturing = startCapture(this.api, this.source);
    if (admitEarly) this.admit(request);
    let capture: Capture;
    try {
      capture = await capturing;
    } catch (err) {
      // Nothing was shared. The host cancelling the browser's picker is a refusal; anything else is a failure,
      // and the technician is told it is one.
      const cancelled = !this.api && (err as Error).name === 'NotAllowedError';
      if (cancelled) return this.deny('Sharing was cancelled, so the request was declined.');
      const why = `Sharing could not start: ${(err as Error).message || (err as Error).name}.`;
      if (admitEarly) return this.endSession('capture-failed', why);
      this.conn?.send({ type: 'host.decide', requestId: request.requestId, allow: false, reason: 'capture-failed' });
      this.request = undefined;
      this.discardPrepared();
      return this.showReady(`${why} Your technician was told it is a technical problem. They can ask again.`);
    }
    // The viewer left or the session ended while the capture was starting: share nothing.
    if (this.request !== request) return stopCapture(capture);
    this.capture = capture;
    this.log?.record('source', `Sharing ${capture.label}`, { source: capture.label });
    this.capture.track.addEventListener('ended', () => this.endSession());
    if (!admitEarly) this.admit(request);
    this.link?.setVideoTrack(this.capture.track);
    this.showProgress();
  }

  private admit(request: ServerMessageOf<'join.request'>): void {
    this.admittedId = request.requestId;
    this.keepPreparedIfFresh(request.requestId);
    this.viewerName = displayName(request.name);
    this.viewerIdentity = request.identity;
    this.conn?.send({ type: 'host.decide', requestId: request.requestId, allow: true });
  }

  private deny(notice = 'You declined the request.'): void {
    const requeue = this.requeueChoice?.();
    if (this.request)
      this.conn?.send({
        type: 'host.decide',
        requestId: this.request.requestId,
        allow: false,
        ...(requeue !== undefined ? { requeue } : {}),
      });
    this.request = undefined;
    this.discardPrepared();
    this.showReady(notice);
  }

  /**
   * While the person reads the prompt: the peer connection, its offer and its candidates are made (the offer's
   * encoder settings, ICE gathering, DTLS certificate), and wait in the signaling connection's queue, which opens
   * only when the server admits the viewer — after Allow. Deny throws all of it away.
   */
  private prepareLink(request: ServerMessageOf<'join.request'>): void {
    this.discardPrepared();
    if (!this.conn || naiveProfile) return;
    const link = sendingLink(this.conn, request.iceServers, this.certificate);
    link.peer.on('error', (err) => console.warn('prepared peer error', err));
    this.prepared = { requestId: request.requestId, link, madeAt: Date.now() };
  }

  private discardPrepared(): void {
    if (!this.prepared) return;
    this.prepared.link.destroy();
    this.prepared = undefined;
    this.conn?.dropQueuedSignals();
  }

  /**
   * Checked on Allow, before the admission opens the queue: a prepared link that died, or whose TURN credentials may
   * have run out while the prompt was open, is thrown away with its queued signals, and one is made on admission.
   */
  private keepPreparedIfFresh(requestId: string): void {
    const p = this.prepared;
    if (p && (p.requestId !== requestId || p.link.peer.destroyed || Date.now() - p.madeAt > PREPARED_LINK_MAX_AGE_MS))
      this.discardPrepared();
  }

  private takePrepared(requestId: string | undefined): PeerLink | undefined {
    const prepared = this.prepared?.requestId === requestId ? this.prepared?.link : undefined;
    this.prepared = undefined;
    return prepared;
  }

  private connectPeer(iceServers: ServerMessageOf<'peer.admitted'>['iceServers'], requestId?: string): void {
    const conn = this.conn;
    if (!conn) return;
    clearTimeout(this.interruptedTimer);
    const prepared = this.takePrepared(requestId);
    this.dropLink();
    // The naive benchmark profile hands simple-peer the finished stream, as out-of-the-box code would.
    const link =
      prepared ??
      (naiveProfile && this.capture
        ? new PeerLink(conn, { initiator: true, iceServers, stream: this.capture.stream })
        : sendingLink(conn, iceServers, this.certificate));
    this.link = link;
    if (this.capture) link.setVideoTrack(this.capture.track);
    // Tuned as soon as the answer is in (the codecs are known), before media can flow: the first frame must already
    // go as the fast-start codec, and the data channels' 'connect' comes after the media path is up.
    const tune = () => {
      if (!link.pc.remoteDescription || link.pc.signalingState !== 'stable' || !link.videoSender) return;
      link.pc.removeEventListener('signalingstatechange', tune);
      void tuneVideoSender(link.videoSender);
    };
    link.pc.addEventListener('signalingstatechange', tune);
    link.peer.on('connect', () => {
      const log = this.log;
      const asker = { name: this.viewerName, identity: this.viewerIdentity };
      this.control = new ControlRelay(link, this.api, asker, this.revokeLabel, (state) => log && logControl(log, state));
      this.toolkit = new HostToolkit(link, this.api, this.viewerName, this.log, this.maxFileBytes);
      if (this.api)
        this.monitors = new MonitorRelay(
          link.toolkit,
          this.api,
          () => this.source,
          (s, by) => this.switchTo(s, by),
        );
      void this.monitors?.announce();
      this.showProgress();
    });
    link.peer.on('error', (err) => console.warn('peer error', err));
    this.note?.attachLink(link.toolkit);
    // The technician's Leave, said on the peer link: it arrives even when the server has forgotten the session.
    link.toolkit.on((m) => m.t === 'session.end' && this.link === link && this.viewerLeft());
    // The media path died without a goodbye (page reload, crash, network loss past ICE recovery). The technician
    // may come back within the grace period: the capture keeps running and nothing is sent until they do.
    link.peer.on('close', () => {
      if (this.link === link) this.showInterrupted();
    });
    this.showProgress();
  }

  private viewerLeft(notice = 'Your technician left. You can give the code to someone else, or end the session.'): void {
    // A server that forgot the session cannot give the code to anyone else.
    if (this.conn?.status === 'lost') return this.end('Your technician left the session.');
    this.stopSharing();
    this.showReady(notice);
  }

  private async checkLinkAlive(): Promise<void> {
    const link = this.link;
    if (link && !(await link.toolkit.probe(LINK_PROBE_MS)) && this.link === link) this.showInterrupted();
  }

  private showInterrupted(): void {
    this.dropLink();
    if (this.conn?.status === 'lost') return this.end('The connection to your technician was lost.');
    this.interruptedTimer = setTimeout(() => {
      this.stopSharing();
      this.showReady('The connection to your technician was lost.');
    }, this.graceMs + 5000);
    this.setState(
      'interrupted',
      interruptedCard(this.viewerName, this.graceMs, () => this.endSession()),
    );
  }

  /** Ends the peer link and what rides on it (control, toolkit); the capture stays. */
  private dropLink(): void {
    this.monitors?.dispose();
    this.monitors = undefined;
    this.control?.dispose();
    this.control = undefined;
    this.toolkit?.dispose();
    this.toolkit = undefined;
    this.link?.destroy();
    this.link = undefined;
  }

  /** "Connecting…" until the capture runs, then the sharing bar. */
  private showProgress(): void {
    if (this.capture) this.showSharing();
    else this.setState('connecting-peer', h('p', { class: 'status busy', role: 'status' }, `Connecting to ${this.viewerName}…`));
  }

  private showSharing(): void {
    const capture = this.capture;
    if (!capture) return;
    this.api?.reportSharing?.({ viewer: this.viewerName, source: capture.label, verified: Boolean(this.viewerIdentity) });
    this.setState(
      'sharing',
      sharingBar({
        sourceLabel: capture.label,
        viewerName: this.viewerName,
        viewerIdentity: this.viewerIdentity,
        pc: this.link?.pc,
        ...this.toolkit?.toggles,
        logToggle: this.logPanel?.toggle,
        codeMemory: this.codeMemory,
        onSwitch: () => void this.chooseNewSource(),
        onStop: () => this.endSession(),
      }),
      ...(this.control ? [this.control.bar] : []),
      ...(this.toolkit?.elements ?? []),
      ...(this.logPanel ? [this.logPanel.element] : []),
    );
  }

  private async chooseNewSource(): Promise<void> {
    if (!this.api) return this.switchTo(undefined);
    const panel = switchPanel(
      this.api,
      this.source?.id,
      (source) => void this.switchTo(source),
      () => this.showSharing(),
    );
    this.root.append(panel);
    focusFirst(panel);
  }

  /** Swaps the outgoing track in place (`replaceTrack`): the viewer keeps the same connection. */
  private async switchTo(source: CaptureSource | undefined, requestedBy?: 'viewer'): Promise<void> {
    const previous = this.capture;
    const link = this.link;
    if (!previous || !link) return;
    let next: Capture;
    try {
      next = await startCapture(this.api, source);
    } catch {
      return this.showSharing();
    }
    link.replaceVideoTrack(previous, next.track);
    next.track.addEventListener('ended', () => this.endSession());
    previous.track.onended = null;
    stopCapture(previous);
    this.capture = { ...next, stream: previous.stream };
    const asked = requestedBy ? ` (${this.viewerName} asked for it; control ended)` : '';
    this.log?.record('source', `Switched to ${next.label}${asked}`, { source: next.label, ...(requestedBy ? { requestedBy } : {}) });
    if (source) this.source = source;
    this.showSharing();
    void this.monitors?.announce();
  }

  private stopSharing(): void {
    clearTimeout(this.interruptedTimer);
    if (this.capture) this.api?.reportSharing?.(null);
    this.dropLink();
    this.discardPrepared();
    stopCapture(this.capture);
    this.capture = undefined;
    this.request = undefined;
  }

  private endSession(reason?: 'capture-failed', message: string = END_MESSAGES['host-left']): void {
    this.conn?.send({ type: 'leave', ...(reason ? { reason } : {}) });
    // Said on the peer link too (the server may be down or have forgotten the session); the link closes once it is out.
    const link = this.link;
    this.link = undefined;
    link?.toolkit.sendLast({ t: 'session.end', reason: reason ?? 'host-left' }, () => link.destroy());
    this.end(message);
  }

  private end(message: string): void {
    // Nothing was ever opened (server unreachable, opening refused): that is not a session that ended.
    const opened = Boolean(this.session);
    const title = opened ? 'Session ended' : 'Could not start a session';
    this.log?.record('ended', `Session ended: ${message}`);
    const extra =
      opened && this.log && this.logPanel ? [h('p', { id: 'end-summary' }, summaryLine(this.log.summary())), this.logPanel.element] : [];
    this.logPanel?.setOpen(true);
    this.stopSharing();
    this.conn?.close();
    this.conn = undefined;
    this.help?.dispose();
    this.help = undefined;
    this.note = undefined;
    this.session = undefined;
    this.setState(
      'ended',
      endCard(
        title,
        message,
        { label: opened ? 'Start a new session' : 'Try again', onClick: () => void this.start() },
        () => this.exit(),
        extra,
      ),
    );
  }

  private setState(state: string, ...content: HTMLElement[]): void {
    document.body.dataset.hostState = state;
    mount(this.root, ...(state === 'ended' || !this.note ? [] : [this.note.element]), ...content);
    focusFirst(this.root);
    if (this.failedJoins && state !== 'ended') this.showFailedJoins(this.failedJoins.attempts, this.failedJoins.max);
  }
}
