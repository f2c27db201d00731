import type { ControlState } from '../../protocol/control-messages';
import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { PROTOCOL_VERSION } from '../../protocol/limits';
import type { ServerMessage } from '../../protocol/signaling-messages';
import { naiveProfile } from '../instrumented';
import { SignalingConnection } from '../net/signaling-connection';
import type { SessionLog } from '../session/session-log';
import { ConnectionNote } from '../ui/connection-note';
import type { CodeMemory } from '../ui/security-code-badge';
import type { SessionLogPanel } from '../ui/session-log-panel';
import { showFailedJoins } from './failed-joins';
import { paintHost } from './host-paint';
import { HelpRequestPanel, hostFacts } from './help-request-panel';
import { HostCapture } from './host-capture';
import type { HostLink } from './host-link';
import { hostEventOf } from './host-server-events';
import { defaultHostSettings, hostSessionParts, loadHostSettings } from './host-session-parts';
import { type HostEffect, type HostEvent, type HostState, hostStep, hostView } from './host-session-machine';
import type { HostViewContext } from './host-views';
import { chooseSource, switchSource } from './source-switch';
import { VerifiedGate } from './verified-gate';
import { loadWaitingTicket, type WaitingTicket } from './waiting-ticket';

type EffectRunners = { [D in HostEffect['do']]: (effect: Extract<HostEffect, { do: D }>) => void };

/**
 * The "Get help" role: show a code, ask consent, share, switch, stop. The decisions are the state machine's
 * (`host-session-machine.ts`); this controller turns the world into its events, carries out its effects with the
 * session's parts (server connection, peer link, capture), and paints the state's view.
 */
export class HostScreen {
  private state: HostState = { kind: 'idle' };
  private readonly queue: HostEvent[] = [];
  private conn?: SignalingConnection;
  private peer?: HostLink;
  private readonly capture: HostCapture;
  private log?: SessionLog;
  private logPanel?: SessionLogPanel;
  private note?: ConnectionNote;
  /** "Request help" through the support queue, inside the ready card. */
  private help?: HelpRequestPanel;
  /** The waiting request this page took back after a reload (waiting-ticket.ts). */
  private resumed?: WaitingTicket;
  private gate = new VerifiedGate();
  private settings = defaultHostSettings();
  private graceMs = 60_000;
  private graceTimer?: ReturnType<typeof setTimeout>;
  private failedJoins?: { attempts: number; max: number };
  private codeMemory?: CodeMemory;
  /** The open prompt's "keep my request in the queue" choice (a picked help request only). */
  private requeueChoice?: () => boolean | undefined;
  private readonly unsubscribeStop?: () => void;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: PeerDeskHostApi | undefined,
    private readonly signalingUrl: string,
    private readonly onExit: () => void,
  ) {
    this.capture = new HostCapture(api, () => this.dispatch({ type: 'stop' }));
    // Stop pressed on the always-on-top indicator or in the tray.
    this.unsubscribeStop = api?.onStopRequested?.(() => this.peer?.link && this.dispatch({ type: 'stop' }));
    // A host page that goes away cannot resume (its capture and peer link die with it): say so now, so the
    // technician is not left waiting out the grace period.
    // A request still waiting (nothing shared yet) stays for the reloaded page to take back: waiting-ticket.ts.
    addEventListener('pagehide', () => (this.help?.keepsRequest ? undefined : this.conn?.send({ type: 'leave' })));
  }

  async start(): Promise<void> {
    if (this.api?.settings) ({ settings: this.settings, gate: this.gate } = await loadHostSettings(this.api));
    this.dispatch({ type: 'start' });
  }

  /** Runs one event to completion (its effects and the repaint) before the next, whatever the effects dispatch. */
  private dispatch(event: HostEvent): void {
    this.queue.push(event);
    if (this.queue.length > 1) return;
    while (this.queue.length) {
      const before = this.state;
      const step = hostStep(before, this.queue[0]);
      if (step) {
        this.state = step.next;
        for (const effect of step.effects) (this.run[effect.do] as (e: HostEffect) => void)(effect);
        if (hostView(before) !== hostView(step.next) || step.effects.some((e) => e.do === 'repaint')) this.paint();
      }
      this.queue.shift();
    }
  }

  private readonly run: EffectRunners = {
    'open-server': () => void this.openServer(),
    decline: (e) => this.decide(e.requestId, false, { reason: e.reason, requeue: e.requeue }),
    admit: (e) => {
      this.peer?.keepPreparedIfFresh(e.requestId);
      this.decide(e.requestId, true, {});
    },
    // Once the prompt is painted: making the connection must not hold it back.
    'prepare-link-after-paint': (e) =>
      requestAnimationFrame(() => setTimeout(() => this.dispatch({ type: 'prompt.painted', requestId: e.requestId }))),
    'prepare-link': (e) => this.peer?.prepare(e.request),
    'discard-prepared': () => this.peer?.discardPrepared(),
    'start-capture': (e) => void this.startCapture(e.requestId),
    'use-capture': () => {
      const capture = this.capture.use();
      if (!capture) return;
      this.log?.record('source', `Sharing ${capture.label}`, {
        source: capture.label,
        ...(this.capture.source ? { kind: this.capture.source.kind } : {}),
      });
      this.peer?.link?.setVideoTrack(capture.track);
    },
    'drop-capture': () => this.capture.dropPending(),
    'drop-warm': () => this.capture.warm.drop(),
    'connect-peer': (e) => this.connectPeer(e.iceServers, e.requestId),
    'attach-tools': () => this.attachTools(),
    'probe-link': () =>
      void this.peer?.silent().then((silent) => silent && this.dispatch({ type: 'link.lost', serverLost: this.serverLost() })),
    'end-control': () => this.peer?.endControl(),
    'end-recording': (e) => this.peer?.recording?.end(e.reason),
    'drop-link': () => this.peer?.drop(),
    'start-grace-timer': () => (this.graceTimer = setTimeout(() => this.dispatch({ type: 'grace.expired' }), this.graceMs + 5000)),
    'clear-grace-timer': () => clearTimeout(this.graceTimer),
    'stop-sharing': () => this.stopSharing(),
    'say-goodbye': (e) => {
      this.conn?.send({ type: 'leave', ...(e.reason ? { reason: e.reason } : {}) });
      this.peer?.sayEnd(e.reason ?? 'host-left');
    },
    teardown: (e) => this.teardown(e.message),
    log: (e) => this.log?.record(e.kind, e.text, e.detail, e.at),
    'report-refusal': (e) => this.log?.report(this.gate.refusalReport(e.request)),
    'show-failed-joins': (e) => {
      this.failedJoins = { attempts: e.attempts, max: e.max };
      showFailedJoins(this.root, e.attempts, e.max);
    },
    'refresh-pin': () => {
      const pin = this.root.querySelector('#session-pin');
      if (pin && 'session' in this.state) pin.textContent = this.state.session.pin;
    },
    repaint: () => undefined,
    'announce-screens': () => this.capture.announceScreens(),
    warn: (e) => console.warn('signaling error', e.code, e.message),
  };

  private async openServer(): Promise<void> {
    const resumed = (this.resumed = loadWaitingTicket());
    const conn = new SignalingConnection(this.signalingUrl, resumed);
    this.conn = conn;
    conn.on((m) => this.onMessage(m));
    this.help = new HelpRequestPanel(conn, this.settings.displayName, hostFacts(Boolean(this.api)), resumed);
    this.note = new ConnectionNote(conn, 'Your technician');
    conn.onStatus = (status) => this.note?.setStatus(status);
    conn.onClose = (reason) =>
      this.dispatch({ type: 'server.closed', message: reason || 'The connection to the PeerDesk server was lost.' });
    try {
      await conn.ready;
    } catch (err) {
      return this.dispatch({ type: 'server.unreachable', message: (err as Error).message });
    }
    this.failedJoins = undefined;
    this.logPanel?.dispose();
    ({ peer: this.peer, log: this.log, logPanel: this.logPanel, codeMemory: this.codeMemory } = await hostSessionParts(conn));
    if (!resumed) conn.send({ type: 'host.open', v: PROTOCOL_VERSION });
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'resume.token') this.graceMs = m.graceMs;
    // This page reloaded while its help request waited: the same session, code and PIN; the help panel takes the request back.
    const { resumed } = this;
    if (m.type === 'session.resumed' && resumed && this.state.kind === 'connecting')
      return this.dispatch({ type: 'opened', session: { code: resumed.code, pin: resumed.pin, inviteUrl: resumed.inviteUrl } });
    const event = hostEventOf(m, { refusal: (r) => this.gate.refusal(r), serverLost: () => this.serverLost() });
    if (event) this.dispatch(event);
  }

  private readonly serverLost = (): boolean => this.conn?.status === 'lost';

  private decide(requestId: string, allow: boolean, { reason, requeue }: { reason?: 'capture-failed'; requeue?: boolean }): void {
    this.conn?.send({
      type: 'host.decide',
      requestId,
      allow,
      ...(reason ? { reason } : {}),
      ...(requeue !== undefined ? { requeue } : {}),
    });
  }

  private async startCapture(requestId: string): Promise<void> {
    const outcome = await this.capture.start();
    if (outcome.ok) return this.dispatch({ type: 'capture.started', requestId, label: outcome.label });
    const { cancelled, why } = outcome;
    this.dispatch({ type: 'capture.failed', requestId, cancelled, why, requeue: this.requeueChoice?.() });
  }

  private connectPeer(iceServers: Parameters<HostLink['connect']>[0], requestId?: string): void {
    const { conn, peer } = this;
    if (!conn || !peer) return;
    const link = peer.connect(iceServers, requestId, this.capture.current, {
      connected: () => this.dispatch({ type: 'link.connected' }),
      lost: () => this.dispatch({ type: 'link.lost', serverLost: this.serverLost() }),
      left: () => this.dispatch({ type: 'peer.left', serverLost: this.serverLost() }),
    });
    this.note?.attachLink(link.toolkit);
  }

  private attachTools(): void {
    const s = this.state;
    if (!this.peer?.link || (s.kind !== 'starting' && s.kind !== 'sharing')) return;
    const { api, log } = this;
    const { revokeLabel, maxFileBytes } = this.settings;
    const onControl = (state: ControlState) => this.dispatch({ type: 'control.changed', state });
    this.peer.attachTools({ api, viewer: s.viewer, revokeLabel, log, maxFileBytes, onControl });
    this.capture.serveScreenChoice(this.peer.link.toolkit, (source, by) => this.switchTo(source, by));
  }

  private stopSharing(): void {
    clearTimeout(this.graceTimer);
    if (this.capture.current) this.api?.reportSharing?.(null);
    this.peer?.drop();
    this.peer?.discardPrepared();
    this.capture.stop();
    this.requeueChoice = undefined;
  }

  private teardown(message: string): void {
    this.log?.record('ended', `Session ended: ${message}`);
    this.stopSharing();
    this.conn?.close();
    this.conn = undefined;
    this.peer = undefined;
    this.help?.dispose();
    this.help = undefined;
    this.note = undefined;
  }

  private chooseNewSource(): void {
    chooseSource(
      this.root,
      this.api,
      this.capture.source?.id,
      (source) => this.switchTo(source),
      () => this.paint(),
    );
  }

  private switchTo(source: CaptureSource | undefined, requestedBy?: 'viewer'): Promise<void> {
    const { capture, log } = this;
    const ctx = { capture, log, link: this.peer?.link, state: () => this.state, dispatch: (e: HostEvent) => this.dispatch(e) };
    return switchSource(ctx, source, requestedBy);
  }

  private viewContext(): HostViewContext {
    const { api, log, logPanel, codeMemory, graceMs } = this;
    const { lanUrl, notices } = this.settings;
    return {
      ...{ api, log, logPanel, codeMemory, graceMs, lanUrl, notices },
      gate: this.gate.element,
      help: this.help?.element,
      stop: () => this.dispatch({ type: 'stop' }),
      restart: () => void this.start(),
      home: () => {
        this.unsubscribeStop?.();
        this.onExit();
      },
    };
  }

  private paint(): void {
    paintHost(this.root, this.state, {
      ctx: this.viewContext(),
      note: this.note,
      failedJoins: this.failedJoins,
      capture: this.capture,
      peer: this.peer,
      prompt: (s) => {
        this.capture.source = undefined;
        const isOpen = () => this.state.kind === 'prompt' && this.state.request === s.request;
        return {
          onPick: (source) => isOpen() && this.capture.pick(source),
          onAllow: () => this.dispatch({ type: 'allow', at: Date.now(), admitEarly: Boolean(this.api) && !naiveProfile }),
          onDeny: () => this.dispatch({ type: 'deny', requeue: this.requeueChoice?.() }),
          stillOpen: isOpen,
          keepRequeue: (read) => (this.requeueChoice = read),
        };
      },
      onSwitch: () => this.chooseNewSource(),
    });
  }
}
