import { displayFileName } from '../../common/display-text';
import type { ControlState } from '../../protocol/control-messages';
import type { FileTransfers } from '../files/file-transfers';
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

/** Each finished transfer once, with its SHA-256. */
export function logFiles(log: SessionLog, transfers: FileTransfers): () => void {
  const logged = new Set<string>();
  return transfers.onChange((views) => {
    for (const v of views) {
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
