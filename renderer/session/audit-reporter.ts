import { clientAuditEventSchema, type ClientAuditEvent } from '../../protocol/audit-reports';
import type { ClientMessage } from '../../protocol/signaling-messages';
import type { LogEvent, SessionLog } from './session-log';

const CONTROL_ACTIONS = new Set(['requested', 'granted', 'denied', 'revoked']);

/**
 * The server's audit trail learns from this side what only the peers see: the session log's control, clipboard
 * and source lines, as `audit.report` events, and what the log is told to report (files offered, accepted, completed,
 * declined, failed — log-recorders.ts —, the screen the technician picked, a join the host's policy declined). Chat
 * never reaches the log, so it is never reported; clipboard text is reported by size only.
 */
export function auditEventFor(e: LogEvent): ClientAuditEvent | undefined {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'control':
      return CONTROL_ACTIONS.has(String(d.state)) ? ({ type: 'control', action: d.state } as ClientAuditEvent) : undefined;
    case 'clipboard':
      return d.direction === 'sent' ? { type: 'clipboard.sent', size: Number(d.characters) } : undefined;
    case 'source':
      return typeof d.source === 'string'
        ? {
            type: 'source.switched',
            ...(d.kind === 'screen' || d.kind === 'window' ? { kind: d.kind } : {}),
            label: d.source.slice(0, 256),
            ...(d.requestedBy === 'viewer' ? { requestedBy: 'viewer' as const } : {}),
          }
        : undefined;
    default:
      return undefined;
  }
}

/** Sends an `audit.report` for each line logged and each report made from now on; returns the unsubscribe. */
export function reportToAudit(log: SessionLog, send: (message: ClientMessage) => void): () => void {
  // Only what the server's schema accepts: a refused frame would count against this connection.
  const sendValid = (event: ClientAuditEvent | undefined) => {
    const parsed = event && clientAuditEventSchema.safeParse(event);
    if (parsed?.success) send({ type: 'audit.report', event: parsed.data });
  };
  let seen = log.events.length;
  const stopLines = log.onChange(() => {
    for (; seen < log.events.length; seen++) sendValid(auditEventFor(log.events[seen]));
  });
  const stopReports = log.onReport(sendValid);
  return () => {
    stopLines();
    stopReports();
  };
}
