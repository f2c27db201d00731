import type { PeerDeskHostApi } from '../../protocol/host-api';
import type { IceServer } from '../../protocol/signaling-messages';
import type { Capture } from '../media/capture';
import { naiveProfile } from '../instrumented';
import { tuneVideoSender } from '../media/screen-tuning';
import { PeerLink } from '../net/peer-link';
import type { SignalingConnection } from '../net/signaling-connection';
import { LINK_PROBE_MS } from '../net/toolkit-channel';
import { logControl } from '../session/log-recorders';
import type { SessionLog } from '../session/session-log';
import type { ControlState } from '../../protocol/control-messages';
import { ControlRelay } from './control-relay';
import { HostToolkit } from './host-toolkit';
import { HostRecording } from '../recordings/host-recording';
import type { JoinRequest, Viewer } from './host-session-machine';

/** Well inside the TURN credentials' lifetime (5 min by default), which starts when the request arrives. */
export const PREPARED_LINK_MAX_AGE_MS = 60_000;

/**
 * Whether the link prepared while the prompt was open may carry the session Allow admits: made for this request,
 * still alive, and young enough that its TURN credentials still hold.
 */
export function preparedLinkUsable(
  prepared: { requestId: string; madeAt: number; destroyed: boolean },
  requestId: string,
  now: number,
): boolean {
  return prepared.requestId === requestId && !prepared.destroyed && now - prepared.madeAt <= PREPARED_LINK_MAX_AGE_MS;
}

/** What the live link reports back to the session, each only while it is still the current link. */
export interface LinkEvents {
  connected(): void;
  /** Closed without a goodbye, or silent to a probe. */
  lost(): void;
  /** The technician's Leave, said on the link: it arrives even when the server has forgotten the session. */
  left(): void;
}

/** What the tools on a connected link need from the session. */
export interface ToolsContext {
  api: PeerDeskHostApi | undefined;
  viewer: Viewer;
  revokeLabel: string;
  log?: SessionLog;
  maxFileBytes?: number;
  onControl: (state: ControlState) => void;
}

/**
 * The host's peer link to the technician and what rides on it: the link prepared while the prompt is open, the
 * live one, remote control (a carrier to main) and the toolkit (chat, files, clipboard). One owner, so "drop the
 * link" always takes everything on it along.
 */
export class HostLink {
  link?: PeerLink;
  control?: ControlRelay;
  toolkit?: HostToolkit;
  /** The technician's recording requests, the person's prompt and the red mark. */
  recording?: HostRecording;
  /** The host's side of the connection, made while the prompt is open; nothing of it is sent before Allow. */
  private prepared?: { requestId: string; link: PeerLink; madeAt: number };

  constructor(
    private readonly conn: SignalingConnection,
    /** One DTLS certificate for every link of this session: a technician's reload keeps the security code. */
    private readonly certificate: RTCCertificate | undefined,
  ) {}

  /**
   * While the person reads the prompt: the peer connection, its offer and its candidates are made, and wait in the
   * signaling connection's queue, which opens only when the server admits the viewer — after Allow.
   */
  prepare(request: JoinRequest): void {
    this.discardPrepared();
    if (naiveProfile) return;
    const link = this.sendingLink(request.iceServers);
    link.peer.on('error', (err) => console.warn('prepared peer error', err));
    this.prepared = { requestId: request.requestId, link, madeAt: Date.now() };
  }

  discardPrepared(): void {
    if (!this.prepared) return;
    this.prepared.link.destroy();
    this.prepared = undefined;
    this.conn.dropQueuedSignals();
  }

  /**
   * Checked on Allow, before the admission opens the queue: a prepared link that died, or whose TURN credentials may
   * have run out while the prompt was open, is thrown away with its queued signals, and one is made on admission.
   */
  keepPreparedIfFresh(requestId: string): void {
    const p = this.prepared;
    if (p && !preparedLinkUsable({ ...p, destroyed: p.link.peer.destroyed }, requestId, Date.now())) this.discardPrepared();
  }

  /** The live link: the prepared one for this request, else a new one. */
  connect(iceServers: IceServer[], requestId: string | undefined, capture: Capture | undefined, on: LinkEvents): PeerLink {
    const prepared = this.prepared?.requestId === requestId ? this.prepared?.link : undefined;
    this.prepared = undefined;
    this.drop();
    // The naive benchmark profile hands simple-peer the finished stream, as out-of-the-box code would.
    const link =
      prepared ??
      (naiveProfile && capture
        ? new PeerLink(this.conn, { initiator: true, iceServers, stream: capture.stream })
        : this.sendingLink(iceServers));
    this.link = link;
    if (capture) link.setVideoTrack(capture.track);
    tuneOnAnswer(link);
    const current = (f: () => void) => () => this.link === link && f();
    link.peer.on('connect', current(on.connected));
    link.peer.on('error', (err) => console.warn('peer error', err));
    link.toolkit.on((m) => m.t === 'session.end' && current(on.left)());
    // The media path died without a goodbye (page reload, crash, network loss past ICE recovery).
    link.peer.on('close', current(on.lost));
    return link;
  }

  /** Control and the toolkit, once the link is up. */
  attachTools(ctx: ToolsContext): void {
    const link = this.link;
    if (!link) return;
    const { api, viewer, log } = ctx;
    this.control = new ControlRelay(link, api, viewer, ctx.revokeLabel, (state) => {
      if (log) logControl(log, state);
      ctx.onControl(state);
    });
    this.toolkit = new HostToolkit(link, api, viewer.name, log, ctx.maxFileBytes);
    this.recording = new HostRecording(link.pc, { name: viewer.name, identity: viewer.identity }, log);
  }

  /** Resolves false when the current link does not answer (and is still the current one). */
  async silent(): Promise<boolean> {
    const link = this.link;
    return Boolean(link && !(await link.toolkit.probe(LINK_PROBE_MS)) && this.link === link);
  }

  /** Main revokes control and releases whatever the technician held. */
  endControl(): void {
    this.control?.dispose();
    this.control = undefined;
  }

  /** The link and what rides on it go; a capture stays. */
  drop(): void {
    this.endControl();
    this.toolkit?.dispose();
    this.toolkit = undefined;
    this.recording?.dispose();
    this.recording = undefined;
    // No longer the current link before it closes: its own 'close' must not read as the technician going away.
    const link = this.link;
    this.link = undefined;
    link?.destroy();
  }

  /** The end said on the link (the server may be down or have forgotten the session); it closes once that is out. */
  sayEnd(reason: 'capture-failed' | 'host-left'): void {
    const link = this.link;
    this.link = undefined;
    link?.toolkit.sendLast({ t: 'session.end', reason }, () => link.destroy());
  }

  /** The host's link: it offers, and sends one video track attached (and swapped) later. */
  private sendingLink(iceServers: IceServer[]): PeerLink {
    return new PeerLink(this.conn, { initiator: true, iceServers, sendsVideo: true, certificate: this.certificate });
  }
}

/**
 * Tuned as soon as the answer is in (the codecs are known), before media can flow: the first frame must already go
 * as the fast-start codec, and the data channels' 'connect' comes after the media path is up.
 */
export function tuneOnAnswer(link: Pick<PeerLink, 'pc' | 'videoSender'>): void {
  const tune = () => {
    if (!link.pc.remoteDescription || link.pc.signalingState !== 'stable' || !link.videoSender) return;
    link.pc.removeEventListener('signalingstatechange', tune);
    void tuneVideoSender(link.videoSender);
  };
  link.pc.addEventListener('signalingstatechange', tune);
}
