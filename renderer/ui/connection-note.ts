import type { SignalingConnection, SignalingStatus } from '../net/signaling-connection';
import { h } from './dom';

/**
 * The one line a person sees when the server side of a session hiccups: the session itself (video, control, chat,
 * files) runs peer to peer and goes on. Hidden while everything is fine. `data-signaling` on <body> mirrors the
 * state for tests and styling.
 */
export class ConnectionNote {
  readonly element = h('p', { class: 'banner', id: 'server-note', role: 'status', hidden: true });
  private status: SignalingStatus = 'online';
  private peerAway = false;

  constructor(
    conn: SignalingConnection,
    /** Who the other side is, in this person's words ("Your technician", "The person you are helping"). */
    private readonly other: string,
  ) {
    conn.on((m) => {
      if (m.type === 'peer.away') this.setPeerAway(true);
      else if (m.type === 'peer.back' || m.type === 'peer.left' || (m.type === 'session.resumed' && m.peerPresent)) this.setPeerAway(false);
      else if (m.type === 'session.resumed') this.setPeerAway(true);
    });
    this.render();
  }

  setStatus(status: SignalingStatus): void {
    this.status = status;
    this.render();
  }

  private setPeerAway(away: boolean): void {
    this.peerAway = away;
    this.render();
  }

  private render(): void {
    document.body.dataset.signaling = this.status;
    document.body.dataset.peerSignaling = this.peerAway ? 'away' : 'present';
    const text =
      this.status === 'reconnecting'
        ? 'Server connection lost — reconnecting. The session goes on meanwhile.'
        : this.status === 'lost'
          ? 'The PeerDesk server no longer knows this session. It goes on while the direct connection holds.'
          : this.peerAway
            ? `${this.other}’s connection to the server dropped — waiting for it to come back. The session goes on meanwhile.`
            : '';
    this.element.textContent = text;
    this.element.hidden = !text;
  }
}
