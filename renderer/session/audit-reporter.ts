import { clientAuditEventSchema, type ClientAuditEvent } from '../../protocol/audit-reports';
import type { ClientMessage } from '../../protocol/signaling-messages';
import type { LogEvent, SessionLog } from './session-log';

const CONTROL_ACTIONS = new Set(['requested', 'granted', 'denied', 'revoked']);

/**
 * The server's audit trail learns from this side what only the peers see: the session log's control, file, clipboard
 * and source lines, as `audit.report` events. Chat never reaches the log, so it is never reported; clipboard text
 * is reported by size only.
 */
export function auditEventFor(e: LogEvent): ClientAuditEvent | undefined {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'control':
      return CONTROL_ACTIONS.has(String(d.state)) ? ({ type: 'control', action: d.state } as ClientAuditEvent) : undefined;
    case 'file-sent':
    case 'file-received':
      return {
        type: 'file',
        action: 'completed',
        direction: e.kind === 'file-sent' ? 'sent' : 'received',
        name: String(d.name),
        size: Number(d.size),
        ...(d.sha256 ? { sha256: String(d.sha256) } : {}),
      };
    case 'clipboard':
      return d.direction === 'sent' ? { type: 'clipboard.sent', size: Number(d.characters) } : undefined;
    case 'source':
      return typeof d.source === 'string' ? { type: 'source.switched', label: d.source.slice(0, 256) } : undefined;
    default:
      return undefined;
  }
}

/** Sends an `audit.report` for each line logged from now on; returns the unsubscribe. */
export function reportToAudit(log: SessionLog, send: (message: ClientMessage) => void): () => void {
  let seen = log.events.length;
  return log.onChange(() => {
    for (; seen < log.events.length; seen++) {
      const event = auditEventFor(log.events[seen]);
      // Only what the server's schema accepts: a refused frame would count against this connection.
      const parsed = event && clientAuditEventSchema.safeParse(event);
      if (parsed?.success) send({ type: 'audit.report', event: parsed.data });
    }
  });
}
