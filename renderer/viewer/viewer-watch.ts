import type { EndReason } from '../../protocol/signaling-messages';
import { groupCode } from '../format';
import { BROWSER_MAX_FILE_BYTES, browserDownloadSink } from '../files/file-sinks';
import { FileTransfers } from '../files/file-transfers';
import { tuneVideoReceiver } from '../media/screen-tuning';
import { PeerLink } from '../net/peer-link';
import type { SignalingConnection } from '../net/signaling-connection';
import { LINK_PROBE_MS } from '../net/toolkit-channel';
import { HandoverPanel } from './handover-panel';
import { ViewerAnnotations } from '../annotations/viewer-annotations';
import { ViewerRecording } from '../recordings/viewer-recording';
import { logControl, logFiles } from '../session/log-recorders';
import type { SessionLog } from '../session/session-log';
import { ChatPanel } from '../ui/chat-panel';
import { ClipboardShare } from '../ui/clipboard-share';
import { h } from '../ui/dom';
import { securityCodeBadge, tabCodeMemory } from '../ui/security-code-badge';
import { SessionLogPanel } from '../ui/session-log-panel';
import { TransfersPanel } from '../ui/transfers-panel';
import { ControlPanel } from './control-panel';
import { fullscreenToggle } from './fullscreen';
import { monitorPicker } from './monitor-picker';
import { qualityPicker } from './quality-picker';
import { StatsPanel } from './stats-panel';
import { VideoStage } from './video-stage';

/** What the link reports to the session, each only while it is still this watch's link. */
export interface WatchEvents {
  /** The host's Stop, said on the peer link: it arrives even when the server has forgotten the session. */
  ended(reason: EndReason): void;
  failed(iceState: string): void;
  closed(): void;
  leave(): void;
}

export interface WatchOptions {
  log?: SessionLog;
  /** The session's code; empty for a request picked from the queue. */
  code: string;
  /** The server-connection note, shown under the toolbar. */
  note?: HTMLElement;
}

/**
 * A technician watching: the viewer's peer link and everything on it — the picture, stats, control, chat, files,
 * clipboard, the session log — and the toolbar that holds them. Made on admission; `dispose` ends all of it.
 */
export class Watch {
  readonly element: HTMLElement;
  private readonly link: PeerLink;
  private readonly stats: StatsPanel;
  private readonly control: ControlPanel;
  private readonly transfers: FileTransfers;
  private readonly logPanel?: SessionLogPanel;
  private readonly recording: ViewerRecording;
  private readonly fullscreen: { dispose: () => void };
  private open = true;

  /** `link`: the viewer's side of the peer link, made while the person decided (`prepareViewerLink`); the watch owns it. */
  constructor(conn: SignalingConnection, link: PeerLink, options: WatchOptions, on: WatchEvents) {
    const { log } = options;
    this.link = link;
    const stage = new VideoStage();
    const annotations = new ViewerAnnotations(link.pc, stage.video);
    // Records what the technician sees, marks included; the code names the session for an upload.
    this.recording = new ViewerRecording(link.pc, stage.video, link.toolkit, () => annotations.layer, { id: options.code, log });
    this.stats = new StatsPanel(link.pc);
    this.control = new ControlPanel(link, stage.video, (state) => log && logControl(log, state));
    this.transfers = new FileTransfers({
      toolkit: link.toolkit,
      pc: link.pc,
      sinkFor: async (name, _size, mime) => browserDownloadSink(name, mime),
      maxBytes: BROWSER_MAX_FILE_BYTES,
    });
    if (log) logFiles(log, this.transfers);
    // The technician's own timeline during the session, not only on the end card.
    this.logPanel = log && new SessionLogPanel(log);
    const banner = this.wire(stage, on);
    const chat = new ChatPanel(link.toolkit, 'Them');
    const files = new TransfersPanel(this.transfers);
    const clipboard = new ClipboardShare(
      link.toolkit,
      'viewer',
      { read: () => navigator.clipboard.readText(), write: (t) => navigator.clipboard.writeText(t) },
      log,
    );
    const toolbar = this.toolbar(
      options.code,
      stage,
      [chat.toggle, files.toggle, ...(this.logPanel ? [this.logPanel.toggle] : []), clipboard.element],
      on.leave,
      log,
    );
    const panels = [chat.element, files.element, ...(this.logPanel ? [this.logPanel.element] : [])];
    this.element = h(
      'div',
      { class: 'viewer' },
      toolbar,
      // Second row: what the technician shows and keeps (marks, recording); the first row stays one line at 1400 px.
      h('div', { class: 'viewer-tools' }, annotations.element, this.recording.element),
      banner,
      options.note,
      this.stats.element,
      stage.element,
      ...panels,
    );
    const fullscreen = fullscreenToggle(this.element, toolbar);
    this.fullscreen = fullscreen;
    toolbar.insertBefore(fullscreen.button, toolbar.querySelector('#leave'));
    toolbar.insertBefore(new HandoverPanel(conn).element, toolbar.querySelector('#leave'));
  }

  get toolkit() {
    return this.link.toolkit;
  }

  /** The link's events, and the "Reconnecting…" banner its ICE state drives. */
  private wire(stage: VideoStage, on: WatchEvents): HTMLElement {
    const { link } = this;
    const current = (f: () => void) => () => this.open && f();
    link.toolkit.on((m) => m.t === 'session.end' && current(() => on.ended(m.reason))());
    if (link.remoteStream) stage.show(link.remoteStream);
    link.peer.on('stream', (stream: MediaStream) => stage.show(stream));
    link.peer.on(
      'error',
      current(() => on.failed(link.pc.iceConnectionState)),
    );
    link.peer.on('close', current(on.closed));
    const banner = h('p', { class: 'banner', id: 'reconnecting', hidden: true, role: 'status' }, 'Reconnecting…');
    link.onIceState = (state) => {
      document.body.dataset.iceState = state;
      banner.hidden = !showsReconnecting(state);
    };
    return banner;
  }

  /** `tools`: the chat, files, log and clipboard buttons. */
  private toolbar(code: string, stage: VideoStage, tools: HTMLElement[], onLeave: () => void, log?: SessionLog): HTMLElement {
    const { link, control } = this;
    const modeButton: HTMLButtonElement = h(
      'button',
      {
        class: 'secondary',
        id: 'toggle-mode',
        on: {
          click: () => {
            stage.setMode(stage.mode === 'fit' ? 'actual' : 'fit');
            modeButton.textContent = modeButtonLabel(stage.mode);
          },
        },
      },
      'Actual size',
    );
    const quality = qualityPicker(link.toolkit, (label) => this.stats.setQuality(label));
    return h(
      'nav',
      { class: 'toolbar', 'aria-label': 'Session' },
      h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
      h('span', {}, sessionLabel(code)),
      securityCodeBadge(link.pc, 'the person you are helping', tabCodeMemory),
      control.status,
      h('span', { class: 'spacer' }),
      control.button,
      control.keysMenu,
      ...tools,
      viewMenu([
        modeButton,
        h('button', { class: 'secondary', id: 'toggle-stats', on: { click: () => this.stats.toggle() } }, 'Stats'),
        h('label', { class: 'menu-label' }, 'Quality ', quality),
        monitorPicker(link.toolkit, (index) => log?.report({ type: 'monitor.chosen', index })),
      ]),
      h('button', { class: 'danger', id: 'leave', on: { click: onLeave } }, 'Leave'),
    );
  }

  /** Resolves true when the link does not answer (and this watch is still open). */
  async silent(): Promise<boolean> {
    return !(await this.link.toolkit.probe(LINK_PROBE_MS)) && this.open;
  }

  /** The end said on the link (the server may be down or have forgotten the session); it closes once that is out. */
  sayEnd(): void {
    this.open = false;
    this.link.toolkit.sendLast({ t: 'session.end', reason: 'viewer-left' }, () => this.link.destroy());
  }

  dispose(): void {
    const wasOpen = this.open;
    this.open = false;
    this.control.stopCapture();
    this.recording.dispose();
    this.fullscreen.dispose();
    this.transfers.dispose();
    this.stats.dispose();
    this.logPanel?.dispose();
    if (wasOpen) this.link.destroy();
  }
}

/**
 * The viewer's side of the link, made before the host's offer can come: creating a page's first RTCPeerConnection
 * costs tens of ms on a loaded machine, and made on `join.accepted` it delayed the answer. A non-initiator says
 * nothing until it gets an offer, so the link made while the person decides sends nothing to the host before Allow.
 */
export function prepareViewerLink(conn: SignalingConnection, relayOnly: boolean, certificate?: RTCCertificate): PeerLink {
  const link = new PeerLink(conn, { initiator: false, iceServers: [], relayOnly, certificate });
  link.pc.addEventListener('track', (e) => tuneVideoReceiver(e.receiver));
  return link;
}

/**
 * Calls `then` once this side's answer has gone out, or after `maxWaitMs`. The watch's toolbar and panels cost
 * 50–130 ms of script on a loaded machine: drawn on `join.accepted`, they held the host's offer and the answer back.
 */
export function afterAnswer(link: PeerLink, maxWaitMs: number, then: () => void): void {
  let done = false;
  const onSignal = (data: { type?: string }) => data.type === 'answer' && once();
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    // Every candidate of the session passes through 'signal': nothing is left listening once the watch is drawn.
    link.peer.off('signal', onSignal);
    then();
  };
  const timer = setTimeout(once, maxWaitMs);
  link.peer.on('signal', onSignal);
}

/**
 * "Reconnecting…" while ICE looks for a path again ('checking' after a restart); not for 'failed' or 'closed', which
 * end the watch with their own card.
 */
export const showsReconnecting = (iceState: string): boolean => iceState === 'disconnected' || iceState === 'checking';

/** The toolbar's name for the session: its code in groups, or where it came from when picked from the queue. */
export const sessionLabel = (code: string): string => (code ? `Session ${groupCode(code)}` : 'Session from the queue');

/** The size button names the other mode, the one a click switches to. */
export const modeButtonLabel = (mode: 'fit' | 'actual'): string => (mode === 'fit' ? 'Actual size' : 'Fit to window');

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
