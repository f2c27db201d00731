import type { AuditEvent, AuditReporter } from '../../protocol/audit-events';

/** Which session a record belongs to: a random id, and the code's first digits for people to match. */
export interface SessionRef {
  id?: string;
  /** The code's first digits; absent when only the id is known (a recording uploaded naming the session by its id). */
  code?: string;
}

/** One event as the server hands it to the trail; `at` is stamped when it is recorded. */
export interface AuditEntry {
  at: number;
  session?: SessionRef;
  reportedBy: AuditReporter;
  event: AuditEvent;
}

/** What the session broker writes to. Never blocks, never throws. */
export interface AuditSink {
  record(entry: Omit<AuditEntry, 'at'>): void;
  close(): Promise<void>;
}

/** The trail switched off (`--audit-db off`, and `startSignalingServer()` without `auditDb`). */
export const noAuditSink: AuditSink = { record: () => undefined, close: async () => undefined };

/** Codes never reach the log whole: they are short-lived secrets that, with a PIN, open a session. */
export const maskCode = (code: string) => `${code.slice(0, 3)}******`;
