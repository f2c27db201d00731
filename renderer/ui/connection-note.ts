import type { SignalingConnection, SignalingStatus } from '../net/signaling-connection';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { h } from './dom';

/**
 * The one line a person sees when the server side of a session hiccups: the session itself (video, control, chat,
 * files) runs peer to peer and goes on. Hidden while everything is fine, and cleared as soon as it stops being
 * true: the peer link carries each side's own server status to the other, so a note does not wait for a server
 * that may have restarted without any memory of the session. `data-signaling` on <body> mirrors this side's state
 * for tests and styling, `data-peer-signaling` the other side's.
 */
export class ConnectionNote {
  readonly element = h('p', { class: 'banner', id: 'server-note', role: 'status', hidden: true });
  private status: SignalingStatus = 'online';
  private peerAway = false;
  private link?: ToolkitChannel;

  constructor(
    conn: SignalingConnection,
    /** Who the other side is, in this person's words ("Your technician", "The person you are helping"). */
    private readonly other: string,
  ) {
    conn.on((m) => {
      if (m.type === 'peer.away') this.setPeerAway(true);
      else if (m.type === 'peer.back' || m.type === 'peer.left' || (m.type === 'session.resumed' && m.peerPresent)) this.setPeerAway(false);
      // A host with nobody admitted (a reloaded page whose help request waits) has no other side to wait for.
      else if (m.type === 'session.resumed' && (m.role === 'viewer' || m.peerName !== undefined)) this.setPeerAway(true);
    });
    this.render();
  }

  setStatus(status: SignalingStatus): void {
    this.status = status;
    this.link?.send({ t: 'signaling.state', status });
    this.render();
  }

  /** The live peer link: this side's status goes out on it, the other side's comes in. */
  attachLink(link: ToolkitChannel): void {
    this.link = link;
    link.on((m) => {
      // The other side's own word is newer than the server's: waiting is true only while it is reconnecting.
      if (m.t === 'signaling.state' && this.link === link) this.setPeerAway(m.status === 'reconnecting');
    });
    link.onOpen(() => {
      link.send({ t: 'signaling.state', status: this.status });
      this.render();
    });
  }

  private setPeerAway(away: boolean): void {
    this.peerAway = away;
    this.render();
  }

  private render(): void {
    document.body.dataset.signaling = this.status;
    document.body.dataset.peerSignaling = this.peerAway ? 'away' : 'present';
    // A server that forgot the session changes nothing while the direct connection holds: nothing to say then.
    const lostButDirect = this.status === 'lost' && this.link?.open;
    const text =
      this.status === 'reconnecting'
        ? 'Server connection lost — reconnecting. The session goes on meanwhile.'
        : this.status === 'lost' && !lostButDirect
          ? 'The PeerDesk server no longer knows this session. It goes on while the direct connection holds.'
          : this.peerAway && !lostButDirect
            ? `${this.other}’s connection to the server dropped — waiting for it to come back. The session goes on meanwhile.`
            : '';
    this.element.textContent = text;
    this.element.hidden = !text;
  }
}
