import type { Logger } from 'pino';
import type { SignalingErrorCode } from '../../protocol/error-codes';
import type { AddressLimits } from '../address-limits';
import type { AuditSink } from '../audit/audit-sink';
import type { ClientConnection } from '../client-connection';
import type { SignalingConfig } from '../config';
import type { ConnectionRouter } from '../connection-router';
import type { SignalingMetrics } from '../metrics';
import type { SessionRecord, SessionStore, SessionViewer } from '../session-store';

/** One task at a time per session code: in this process (a queue) or across nodes (a Redis lock). */
export interface SessionLocks {
  run<T>(code: string, task: () => Promise<T>): Promise<T>;
}

export interface BrokerDeps {
  config: SignalingConfig;
  store: SessionStore;
  locks: SessionLocks;
  limits: AddressLimits;
  metrics: SignalingMetrics;
  log: Logger;
  router: ConnectionRouter;
  /** Where the session's life is recorded (`noAuditSink` when the trail is off). */
  audit: AuditSink;
  inviteBase: () => string;
  /**
   * A technician who picked the host's help request is no longer asking: the host denied them, or they left before
   * the host decided. The support queue puts the request back (`requeue`) or ends it.
   */
  onPickUndone?: (session: SessionRecord, viewer: SessionViewer, requeue: boolean) => Promise<void>;
}

/** What each step of the protocol (open, join, decide, resume, endings) works with: the deps and two services. */
export interface BrokerContext extends BrokerDeps {
  /** Refuses a frame with its code's message (or the given one): counted, and the connection closed after abuse. */
  reject(conn: ClientConnection, code: SignalingErrorCode, message?: string, retryAfterMs?: number): void;
  /** Looks at the store's deadlines again at `when` (a grace period running out). */
  sweepAt(when: number): void;
}
