import { ClientErrorCode, SignalingErrorCode } from '../../protocol/error-codes';
import { ERROR_MESSAGES } from '../../protocol/error-messages';
import { PROTOCOL_VERSION } from '../../protocol/limits';
import { type ClientMessage, type ServerMessage, serverMessageSchema } from '../../protocol/signaling-messages';

type Handler = (message: ServerMessage) => void;

/**
 * `online`: attached to the session (or not in one yet). `reconnecting`: the socket dropped and a resume is under
 * way; the peer-to-peer session goes on meanwhile. `lost`: no resume is possible any more (server forgot the session,
 * grace period over); only the live peer connection, if any, remains.
 */
export type SignalingStatus = 'online' | 'reconnecting' | 'lost';

export interface ResumeTicket {
  code: string;
  token: string;
}

/** Outgoing signals held while the server or the other side is away; a resume flushes them in order. */
const MAX_QUEUED_SIGNALS = 256;
const RECONNECT_BASE_MS = 250;
/**
 * A restarted server is back within about a second (Node start-up is ~0.6 s here), so waits stop growing at 1 s;
 * full jitter spreads thousands of clients over that second instead of meeting it at one instant.
 */
const RECONNECT_MAX_MS = 1000;

/**
 * The renderer's side of the signaling WebSocket. Server frames are validated with the protocol schema like any
 * other network input; a malformed one is reported, never acted on.
 *
 * Once the server has issued a resume token, a dropped socket is not the end: it reconnects in the background
 * (exponential backoff with jitter) and re-attaches with the token, for as long as the server's grace period
 * lasts. Handlers stay subscribed across sockets, so the peer link never notices.
 */
export class SignalingConnection {
  private ws!: WebSocket;
  private readonly handlers = new Set<Handler>();
  private ticket?: ResumeTicket;
  private graceMs = 0;
  private lostAt = 0;
  private attempt = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Whether the server pairs this side with the other: set by admission, resume and the peer's comings and goings. */
  private peerPresent = false;
  private queued: ClientMessage[] = [];
  private closedByUs = false;
  /** A host's first socket: one random digit, which the server makes the last digit of the code it opens. */
  private readonly routeDigit = String(crypto.getRandomValues(new Uint32Array(1))[0]! % 10);
  status: SignalingStatus = 'online';
  readonly ready: Promise<void>;
  /** The connection is gone for good and no session was (or can be) resumed. */
  onClose?: (reason: string) => void;
  onStatus?: (status: SignalingStatus) => void;

  /**
   * `resumeWith`: re-attach right away to a session this page held before a reload (`fresh`: no peer link left).
   * `sessionCode`: the session this socket is for (a viewer's join), so a proxy can route it to the node holding it.
   */
  constructor(
    private readonly url: string,
    resumeWith?: ResumeTicket,
    private readonly sessionCode?: string,
  ) {
    this.ticket = resumeWith;
    this.ready = new Promise((resolve, reject) => {
      this.open();
      this.ws.addEventListener('error', () => reject(new Error('Could not reach the PeerDesk server.')), { once: true });
      this.handlers.add(function onHello(m) {
        if (m.type !== 'hello') return;
        if (m.v !== PROTOCOL_VERSION) reject(new Error(ERROR_MESSAGES[ClientErrorCode.ProtocolVersion]));
        else resolve();
      });
    });
    if (resumeWith)
      void this.ready.then(
        () => this.sendResume(true),
        () => undefined,
      );
  }

  static defaultUrl(): string {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  }

  on(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Signals wait (in order) while the server or the other side is away; other messages need the server now. */
  send(message: ClientMessage): void {
    if (message.type === 'signal' && (this.status !== 'online' || !this.peerPresent)) {
      if (this.queued.push(message) > MAX_QUEUED_SIGNALS) this.queued.shift();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.closedByUs = true;
    this.onClose = undefined;
    this.onStatus = undefined;
    clearTimeout(this.retryTimer);
    this.ws.close(1000, 'bye');
  }

  private open(): void {
    const ws = new WebSocket(routedUrl(this.url, this.ticket?.code ?? this.sessionCode ?? this.routeDigit));
    this.ws = ws;
    ws.addEventListener('message', (e) => this.receive(e.data));
    ws.addEventListener('close', (e) => this.dropped(ws, e));
  }

  private receive(data: unknown): void {
    let parsed;
    try {
      parsed = serverMessageSchema.safeParse(JSON.parse(String(data)));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) return console.warn('ignored a malformed signaling frame');
    this.track(parsed.data);
    for (const h of [...this.handlers]) h(parsed.data);
  }

  /** The connection's own bookkeeping of the session: token, whether the other side is there, resume results. */
  private track(m: ServerMessage): void {
    switch (m.type) {
      case 'hello':
        if (this.status === 'reconnecting') this.sendResume(false);
        return;
      case 'resume.token':
        this.ticket = { code: m.code, token: m.token };
        this.graceMs = m.graceMs;
        return;
      case 'session.resumed':
        this.attempt = 0;
        this.peerPresent = m.peerPresent;
        return this.setStatus('online');
      case 'peer.away':
      case 'peer.left':
        this.peerPresent = false;
        return;
      case 'peer.admitted':
      case 'join.accepted':
      case 'peer.back':
        this.peerPresent = true;
        return this.flush();
      case 'session.ended':
      case 'join.denied':
        this.ticket = undefined;
        return;
      case 'error':
        if (m.code === SignalingErrorCode.ResumeFailed) this.giveUp(ERROR_MESSAGES[ClientErrorCode.SessionGone]);
        return;
    }
  }

  private sendResume(fresh: boolean): void {
    const t = this.ticket;
    if (t) this.ws.send(JSON.stringify({ type: 'session.resume', v: PROTOCOL_VERSION, code: t.code, token: t.token, fresh }));
  }

  private dropped(ws: WebSocket, e: CloseEvent): void {
    if (ws !== this.ws || this.closedByUs) return;
    // 4000: another socket resumed this side (this page is stale). No token: nothing to resume.
    if (!this.ticket || e.code === 4000) return this.giveUp(e.reason || `closed (${e.code})`);
    if (this.status !== 'reconnecting') {
      this.lostAt = Date.now();
      this.setStatus('reconnecting');
    }
    if (Date.now() - this.lostAt > this.graceMs) return this.giveUp('The connection to the PeerDesk server was lost.');
    // Full jitter: a restarted server is not met by every client at the same instant.
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private giveUp(reason: string): void {
    this.ticket = undefined;
    this.queued = [];
    this.setStatus('lost');
    this.onClose?.(reason);
  }

  /** Forgets signals still waiting for the other side: the link that made them is gone, and no one may get them. */
  dropQueuedSignals(): void {
    this.queued = [];
  }

  private flush(): void {
    if (this.status !== 'online' || !this.peerPresent) return;
    const queued = this.queued;
    this.queued = [];
    for (const m of queued) this.send(m);
  }

  private setStatus(status: SignalingStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (status === 'online') this.flush();
    this.onStatus?.(status);
  }
}

/**
 * The URL with the session's routing digit as `s`: a proxy in front of several nodes (deploy/nginx) routes by it, and
 * a node opens a host's session under a code ending in the same digit, so both sides of a session and their
 * reconnects meet on one node and their signals do not cross nodes. Only the last digit of a code goes in the URL:
 * it is all the proxy needs, and a whole code would sit in every proxy's access log.
 */
export function routedUrl(url: string, key: string): string {
  const u = new URL(url);
  u.searchParams.set('s', key.slice(-1));
  return u.toString();
}
