import { describe, expect, it } from 'vitest';
import { clientMessageSchema, type ClientMessage } from '../../../protocol/signaling-messages';
import { reportToAudit } from '../../../renderer/session/audit-reporter';
import { logControl } from '../../../renderer/session/log-recorders';
import { SessionLog } from '../../../renderer/session/session-log';

describe('the audit reporter', () => {
  it("turns the session log's control, file, clipboard and source lines into audit.report frames the server accepts", () => {
    const log = new SessionLog();
    log.record('joined', 'Joined session 123 456 789'); // before reporting started: not sent
    const sent: ClientMessage[] = [];
    reportToAudit(log, (m) => sent.push(m));
    logControl(log, 'requested');
    logControl(log, 'granted');
    logControl(log, 'cooldown'); // not an action the trail knows
    log.record('file-sent', 'Sent a.txt', { name: 'a.txt', size: 5, sha256: 'b'.repeat(64) });
    log.record('file-received', 'Received b.txt', { name: 'b.txt', size: 7, sha256: '' });
    log.record('clipboard', 'Clipboard text sent (12 characters)', { direction: 'sent', characters: 12, auto: false });
    log.record('clipboard', 'Clipboard text received', { direction: 'received', characters: 3 });
    log.record('source', 'Sharing Entire screen', { source: 'Entire screen', kind: 'screen' });
    log.record('source', 'Switched to Screen 2', { source: 'Screen 2', kind: 'screen', requestedBy: 'viewer' });
    log.report({ type: 'monitor.chosen', index: 1 });
    log.report({ type: 'join.refused', rule: 'not-verified', name: 'Tina from IT' });
    log.record('ended', 'Session ended');
    for (const m of sent) expect(clientMessageSchema.safeParse(m).success).toBe(true);
    expect(sent.map((m) => (m.type === 'audit.report' ? m.event : m))).toEqual([
      { type: 'control', action: 'requested' },
      { type: 'control', action: 'granted' },
      // Files are reported by logFiles from the transfers themselves (every step), not from these log lines.
      { type: 'clipboard.sent', size: 12 },
      { type: 'source.switched', kind: 'screen', label: 'Entire screen' },
      { type: 'source.switched', kind: 'screen', label: 'Screen 2', requestedBy: 'viewer' },
      { type: 'monitor.chosen', index: 1 },
      { type: 'join.refused', rule: 'not-verified', name: 'Tina from IT' },
    ]);
  });

  it('sends nothing the server would refuse', () => {
    const log = new SessionLog();
    const sent: ClientMessage[] = [];
    reportToAudit(log, (m) => sent.push(m));
    log.record('file-sent', 'Sent ?', { name: '', size: -1 });
    log.report({ type: 'monitor.chosen', index: -1 });
    expect(sent).toEqual([]);
  });
});
