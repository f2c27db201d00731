import type SimplePeer from 'simple-peer';

/**
 * The parts of simple-peer 9.11 PeerDesk needs that its public API does not offer, in one place. simple-peer
 * keeps its RTCPeerConnection in `_pc` and exposes no way to start an ICE restart's renegotiation; PeerDesk
 * needs the connection for stats, transceivers and the security code, and the restart for path recovery.
 * These fields have been stable since 9.x (and in the maintained fork, @thaunknown/simple-peer 10.x); if an
 * upgrade moves them, this file is the only one to change.
 */
interface Internals {
  _pc: RTCPeerConnection;
  initiator: boolean;
  connected: boolean;
  negotiate(): void;
}

const internals = (peer: SimplePeer.Instance) => peer as unknown as Internals;

export const peerConnectionOf = (peer: SimplePeer.Instance): RTCPeerConnection => internals(peer)._pc;
export const isInitiator = (peer: SimplePeer.Instance): boolean => internals(peer).initiator;
export const isConnected = (peer: SimplePeer.Instance): boolean => internals(peer).connected;
/** Makes simple-peer send a new offer (after `restartIce()`, it carries new ICE credentials). */
export const renegotiate = (peer: SimplePeer.Instance): void => internals(peer).negotiate();
