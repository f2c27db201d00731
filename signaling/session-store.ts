/**
 * Session state behind a small async interface, so a shared store (Redis) can
 * replace the in-memory one without touching the protocol code.
 * Sockets are never stored here: records name connections by id.
 */
export interface PendingViewer {
  connectionId: string;
  requestId: string;
  name: string;
  admitted: boolean;
}

export interface SessionRecord {
  code: string;
  pin: string;
  hostConnectionId: string;
  /** Epoch ms after which an unused code is gone. Ignored while a viewer is pending or admitted. */
  expiresAt: number;
  wrongPins: number;
  locked: boolean;
  viewer?: PendingViewer;
}

export interface SessionStore {
  /** Inserts unless the code is taken; returns whether it was inserted. */
  create(record: SessionRecord): Promise<boolean>;
  get(code: string): Promise<SessionRecord | undefined>;
  put(record: SessionRecord): Promise<void>;
  delete(code: string): Promise<void>;
  /** Codes whose `expiresAt` passed while no viewer was attached. */
  expired(now: number): Promise<string[]>;
  size(): Promise<number>;
}

export class MemorySessionStore implements SessionStore {
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

  async expired(now: number): Promise<string[]> {
    const codes: string[] = [];
    for (const s of this.sessions.values()) if (!s.viewer && s.expiresAt <= now) codes.push(s.code);
    return codes;
  }

  async size(): Promise<number> {
    return this.sessions.size;
  }
}
