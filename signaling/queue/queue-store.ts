import type { HelpEndReason, VerifiedIdentity } from '../../protocol/signaling-messages';
import { sameLine } from './queue-entry';

/** A waiting help request as the server keeps it (the session code and host connection never reach a console). */
export interface HelpRecord {
  id: string;
  /** The host's open session: picking seats the technician there. */
  code: string;
  hostConnectionId: string;
  name: string;
  description: string;
  team?: string;
  app?: string;
  os?: string;
  createdAt: number;
  expiresAt: number;
  /** A handed-over session: only this technician (sign-in email, lower case) may pick it. */
  forTechnician?: string;
  /** A handed-over session: the technician who handed it. */
  handedOverBy?: VerifiedIdentity;
}

/** What every node hears, its own changes included: consoles and waiting hosts are updated from these only. */
export type QueueEvent = { op: 'added'; record: HelpRecord } | { op: 'removed'; record: HelpRecord; reason: HelpEndReason };

/**
 * Where waiting requests live: this process, or Redis shared by every node. `take` is the one atomic step that
 * decides a race (pick against pick, pick against cancel or expiry): exactly one caller gets the record.
 */
export interface QueueStore {
  /** Adds unless the queue already holds `max` requests; false when full. */
  add(record: HelpRecord, max: number): Promise<boolean>;
  /** Removes and returns the record, to one caller only; undefined for everyone else. */
  take(id: string): Promise<HelpRecord | undefined>;
  /** The record as it waits now (nothing is taken). */
  get(id: string): Promise<HelpRecord | undefined>;
  /** Points a waiting request at its host's new connection (a reloaded page); undefined when it no longer waits. */
  rebind(id: string, hostConnectionId: string): Promise<HelpRecord | undefined>;
  /** Every waiting request, oldest first. */
  list(): Promise<HelpRecord[]>;
  /**
   * Ids of the requests waiting in the record's line before it (what its place is counted from), without reading
   * every record: asked on each request, with a thousand waiting.
   */
  ahead(record: HelpRecord): Promise<string[]>;
  /** Ids whose expiry has passed. */
  due(now: number): Promise<string[]>;
  /** Tells every node (this one too, asynchronously). */
  publish(event: QueueEvent): void;
  onEvent(listener: (event: QueueEvent) => void): void;
  close(): Promise<void>;
}

/** Queue order: older first, ties by id, the same on every node. */
export const before = (a: HelpRecord, b: HelpRecord) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

export class MemoryQueueStore implements QueueStore {
  private readonly records = new Map<string, HelpRecord>();
  private readonly listeners: Array<(event: QueueEvent) => void> = [];

  async add(record: HelpRecord, max: number): Promise<boolean> {
    if (this.records.size >= max) return false;
    this.records.set(record.id, { ...record });
    return true;
  }

  async take(id: string): Promise<HelpRecord | undefined> {
    const record = this.records.get(id);
    this.records.delete(id);
    return record;
  }

  async get(id: string): Promise<HelpRecord | undefined> {
    const record = this.records.get(id);
    return record && { ...record };
  }

  async rebind(id: string, hostConnectionId: string): Promise<HelpRecord | undefined> {
    const record = this.records.get(id);
    if (record) record.hostConnectionId = hostConnectionId;
    return record && { ...record };
  }

  async list(): Promise<HelpRecord[]> {
    return [...this.records.values()].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  async ahead(record: HelpRecord): Promise<string[]> {
    return [...this.records.values()].filter((r) => sameLine(r, record) && before(r, record)).map((r) => r.id);
  }

  async due(now: number): Promise<string[]> {
    return [...this.records.values()].filter((r) => r.expiresAt <= now).map((r) => r.id);
  }

  publish(event: QueueEvent): void {
    // Asynchronous like Redis pub/sub, so callers never depend on being told before they return.
    queueMicrotask(() => this.listeners.forEach((l) => l(event)));
  }

  onEvent(listener: (event: QueueEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {}
}
