import { displayFileName } from '../../common/display-text';
import type { ControlState } from '../../protocol/control-messages';
import type { ClientAuditEvent } from '../../protocol/audit-reports';
import type { FileTransfers } from '../files/file-transfers';
import type { TransferState, TransferView } from '../files/transfer-model';
import { count } from '../format';
import type { SessionLog } from './session-log';

const CONTROL_TEXT: Partial<Record<ControlState, string>> = {
  requested: 'Control requested',
  granted: 'Control granted',
  denied: 'Control denied',
  cooldown: 'Control request refused (cool-down after a Deny)',
  blocked: 'Control request refused (the host said don’t ask again)',
  revoked: 'Control taken back',
};

/** Control decisions worth a line in the log (not the initial "none"). */
export function logControl(log: SessionLog, state: ControlState): void {
  const text = CONTROL_TEXT[state];
  if (text) log.record('control', text, { state });
}

type FileAction = Extract<ClientAuditEvent, { type: 'file' }>['action'];

/** The states the audit trail hears about, as this side sees them: offered, accepted (bytes flow), and how it ended. */
const AUDITED: Partial<Record<TransferState, FileAction>> = {
  offered: 'offered',
  incoming: 'offered',
  sending: 'accepted',
  receiving: 'accepted',
  done: 'completed',
  declined: 'declined',
  cancelled: 'cancelled',
  failed: 'failed',
};

function fileReport(v: TransferView, action: FileAction): ClientAuditEvent {
  return {
    type: 'file',
    action,
    direction: v.direction === 'out' ? 'sent' : 'received',
    // Through the same display rule as every name from the other side (no bidi tricks, no invisible characters).
    name: displayFileName(v.name).name.slice(0, 1024),
    size: v.size,
    ...(action === 'completed' && v.sha256 ? { sha256: v.sha256 } : {}),
  };
}

/** Each finished transfer once in the log, with its SHA-256; each step of every transfer reported to the audit trail. */
export function logFiles(log: SessionLog, transfers: FileTransfers): () => void {
  const logged = new Set<string>();
  const reported = new Map<string, FileAction>();
  return transfers.onChange((views) => {
    for (const v of views) {
      const action = AUDITED[v.state];
      if (action && reported.get(v.id) !== action) {
        reported.set(v.id, action);
        log.report(fileReport(v, action));
      }
      if (v.state !== 'done' || logged.has(v.id)) continue;
      logged.add(v.id);
      const kind = v.direction === 'out' ? 'file-sent' : 'file-received';
      // The log is exported into tickets: the name goes in as shown, never with its direction tricks.
      const shown = displayFileName(v.name);
      const real = shown.altered ? `, real type ${shown.realType || 'none'}` : '';
      log.record(
        kind,
        `${v.direction === 'out' ? 'Sent' : 'Received'} ${shown.name} (${count(v.size, 'byte')}${real}, SHA-256 ${v.sha256})`,
        {
          name: shown.name,
          size: v.size,
          sha256: v.sha256 ?? '',
        },
      );
    }
  });
}
