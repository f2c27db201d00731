import type { TurnGrant } from './turn-credentials';

/**
 * Session state behind a small async interface, so a shared store (Redis) can replace the in-memory one without
 * touching the protocol code. Sockets are never stored here: records name connections by id, and resume tokens
 * only by their hash.
 */
import type { VerifiedIdentity } from '../protocol/signaling-messages';
import type { HelpRecord } from './queue/queue-store';

export interface SessionViewer {
  connectionId: string;
  requestId: string;
  name: string;
  /** Set when the viewer signed in: the server-verified technician (and `name` is their verified name). */
  identity?: VerifiedIdentity;
  admitted: boolean;
  /** SHA-256 of the viewer's current resume token (set once admitted). */
  tokenHash?: string;
  /** Set while the viewer's signaling connection is gone: the epoch ms its seat is given up. */
  awayUntil?: number;
  /** TURN credentials handed to the viewer, handed again while still fresh (`grantFor`). */
  turn?: TurnGrant;
  /** Set when the technician picked the host's help request (queue/): kept so a Deny can put it back. */
  help?: HelpRecord;
}

export interface SessionRecord {
  code: string;
  pin: string;
  hostConnectionId: string;
  hostTokenHash: string;
  /** Set while the host's signaling connection is gone: the epoch ms the session ends. */
  hostAwayUntil?: number;
  /** TURN credentials handed to the host, handed again while still fresh (`grantFor`). */
  hostTurn?: TurnGrant;
  /** Epoch ms after which an unused code is gone. Ignored while a viewer is pending or admitted. */
  expiresAt: number;
  wrongPins: number;
  locked: boolean;
  viewer?: SessionViewer;
  /** The session's name in the audit trail (random; the code is a secret and gets reused). */
  auditId?: string;
  /** Epoch ms the host opened it (the audit trail's duration). */
  openedAt?: number;
}

/** When the sweeper must look at a session next: an unused code expiring, or a side's grace running out. */
export function nextDeadline(s: SessionRecord): number {
  return Math.min(s.viewer ? Infinity : s.expiresAt, s.hostAwayUntil ?? Infinity, s.viewer?.awayUntil ?? Infinity);
}

export interface SessionStore {
  /** True when other processes see the same sessions (a restart or another node can resume them). */
  readonly shared: boolean;
  /** Inserts unless the code is taken; returns whether it was inserted. */
  create(record: SessionRecord): Promise<boolean>;
  get(code: string): Promise<SessionRecord | undefined>;
  put(record: SessionRecord): Promise<void>;
  delete(code: string): Promise<void>;
  /** Codes whose next deadline (`nextDeadline`) has passed. */
  due(now: number): Promise<string[]>;
  /** Adds one wrong PIN to the code's count atomically (two nodes may count at once); returns the new count. */
  addWrongPin(code: string): Promise<number>;
  size(): Promise<number>;
  /** Whether the store can serve requests now (false while Redis is unreachable). */
  healthy(): boolean;
}

export class MemorySessionStore implements SessionStore {
  readonly shared = false;
  private readonly sessions = new Map<string, SessionRecord>();

  async create(record: SessionRecord): Promise<boolean> {
    if (this.sessions.has(record.code)) return false;
    this.sessions.set(record.code, structuredClone(record));
    return true;
  }

  async get(code: string): Promise<SessionRecord | undefined> {
    const record = this.sessions.get(code);
    return record && structuredClone(record);
  }

  async put(record: SessionRecord): Promise<void> {
    this.sessions.set(record.code, structuredClone(record));
  }

  async delete(code: string): Promise<void> {
    this.sessions.delete(code);
  }

  async due(now: number): Promise<string[]> {
    const codes: string[] = [];
    for (const s of this.sessions.values()) if (nextDeadline(s) <= now) codes.push(s.code);
    return codes;
  }

  async addWrongPin(code: string): Promise<number> {
    const s = this.sessions.get(code);
    if (!s) return 0;
    return (s.wrongPins += 1);
  }

  async size(): Promise<number> {
    return this.sessions.size;
  }

  healthy(): boolean {
    return true;
  }
}
