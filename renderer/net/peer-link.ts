import SimplePeer from 'simple-peer';
import { POINTER_CHANNEL_ID } from '../../protocol/control-messages';
import type { IceServer, PeerSignal } from '../../protocol/signaling-messages';
import { tuneSdp } from '../media/screen-tuning';
import type { SignalingConnection } from './signaling-connection';
import { isConnected, isInitiator, peerConnectionOf, renegotiate } from './simple-peer-internals';
import { ToolkitChannel } from './toolkit-channel';

export interface PeerLinkOptions {
  initiator: boolean;
  iceServers: IceServer[];
  /** Naive profile only: the finished stream, added the way out-of-the-box code does. */
  stream?: MediaStream;
  /** Sends one video track, attached (and swapped) later with `setVideoTrack`: the connection need not wait for capture. */
  sendsVideo?: boolean;
  /** Relay-only (TURN): the instrumented build's `?forceRelay=1`, for the test of the TURN path. */
  relayOnly?: boolean;
  /** This side's DTLS certificate, kept across links so the security code stays the same (dtls-certificate.ts). */
  certificate?: RTCCertificate;
}

/**
 * One simple-peer bound to the signaling connection: outgoing signals go to the
 * server, incoming `signal` frames come back in. Also owns ICE recovery.
 */
export class PeerLink {
  readonly peer: SimplePeer.Instance;
  /** Pointer moves: unordered, never retransmitted (a late move is worthless). Negotiated, so simple-peer never sees it. */
  readonly pointer: RTCDataChannel;
  /** Chat (and later the other tools): both directions, reliable, separate from control. */
  readonly toolkit: ToolkitChannel;
  private readonly unsubscribe: () => void;
  private restarting = false;
  private readonly video?: RTCRtpTransceiver;
  /** The other side's stream once it came, for a listener that attaches later (the viewer draws its watch late). */
  remoteStream?: MediaStream;
  onIceState?: (state: RTCIceConnectionState) => void;

  constructor(
    private readonly signaling: SignalingConnection,
    options: PeerLinkOptions,
  ) {
    this.peer = new SimplePeer({
      initiator: options.initiator,
      stream: options.stream,
      trickle: true,
      config: {
        iceServers: options.iceServers,
        iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
        bundlePolicy: 'max-bundle',
        ...(options.certificate ? { certificates: [options.certificate] } : {}),
      },
      // simple-peer's own channel is reliable and ordered: clicks, keys, control messages.
      channelConfig: { ordered: true },
      sdpTransform: tuneSdp,
    });
    this.pointer = this.pc.createDataChannel('pointer', { negotiated: true, id: POINTER_CHANNEL_ID, ordered: false, maxRetransmits: 0 });
    this.toolkit = new ToolkitChannel(this.pc);
    // Added before simple-peer's first offer (it negotiates on the next tick), so no renegotiation follows.
    // The stream id makes the viewer's simple-peer emit 'stream' for it.
    if (options.sendsVideo) this.video = this.pc.addTransceiver('video', { direction: 'sendonly', streams: [new MediaStream()] });
    this.peer.on('stream', (stream: MediaStream) => (this.remoteStream = stream));
    this.peer.on('signal', (data) => this.signaling.send({ type: 'signal', data: data as PeerSignal }));
    this.unsubscribe = signaling.on((m) => {
      if (m.type === 'signal' && !this.peer.destroyed) this.peer.signal(m.data as SimplePeer.SignalData);
    });
    this.pc.addEventListener('iceconnectionstatechange', () => this.handleIceState());
  }

  /**
   * The ICE servers, given after the link was made: the viewer makes its link while the person decides and learns
   * its TURN credentials only with `join.accepted`. Before this side's first answer no candidate has been gathered.
   */
  setIceServers(iceServers: IceServer[]): void {
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  get videoSender(): RTCRtpSender | undefined {
    return this.video?.sender ?? this.pc.getSenders().find((s) => s.track?.kind === 'video');
  }

  /** Puts the captured track on the video sender (the first time, or after the connection is already up). */
  setVideoTrack(track: MediaStreamTrack): void {
    void this.video?.sender.replaceTrack(track);
  }

  /** Swaps the outgoing track in place: the viewer keeps the same connection and stream. */
  replaceVideoTrack(previous: { track: MediaStreamTrack; stream: MediaStream }, next: MediaStreamTrack): void {
    if (this.video) void this.video.sender.replaceTrack(next);
    else this.peer.replaceTrack(previous.track, next, previous.stream);
  }

  /** The underlying RTCPeerConnection (simple-peer keeps it private; we need stats and senders). */
  get pc(): RTCPeerConnection {
    return peerConnectionOf(this.peer);
  }

  private handleIceState(): void {
    const state = this.pc.iceConnectionState;
    this.onIceState?.(state);
    if (state === 'connected' || state === 'completed') this.restarting = false;
    // The initiator owns the offer, so it drives the restart; simple-peer renegotiates on demand.
    if (state === 'disconnected' && !this.restarting && !this.peer.destroyed) {
      this.restarting = true;
      if (this.isInitiator) {
        this.pc.restartIce();
        renegotiate(this.peer);
      }
    }
  }

  private get isInitiator(): boolean {
    return isInitiator(this.peer);
  }

  /** Sends on the reliable channel; false when it is not open (yet or any more). */
  sendReliable(text: string): boolean {
    if (!isConnected(this.peer)) return false;
    this.peer.send(text);
    return true;
  }

  /** Sends a pointer move on the fast channel, or the reliable one until it opens. */
  sendPointer(text: string): void {
    if (this.pointer.readyState === 'open') this.pointer.send(text);
    else this.sendReliable(text);
  }

  destroy(): void {
    this.unsubscribe();
    this.peer.destroy();
  }
}
