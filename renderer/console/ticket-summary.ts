import { displayName } from '../../common/display-text';
import type { AuditSession, AuditTimelineEntry } from '../../protocol/audit-sessions';

/** "12 s", "4 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** `2026-12-06 20:47 UTC`: a ticket is read in other time zones, so its times say which one. */
export const utcMinute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Who helped, as the trail knows it: the server-verified technician, or a name that was only typed. */
export function technicianLine(s: AuditSession): string {
  const t = s.technician;
  if (t)
    return `${displayName(t.name)} <${displayName(t.email)}>${t.org ? `, ${displayName(t.org)}` : ''} (verified, signed in with ${displayName(t.issuer)})`;
  return s.typedName ? `"${displayName(s.typedName)}" (typed name, not verified)` : 'nobody was let in';
}

const viewAllowed = (timeline: AuditTimelineEntry[]) => timeline.some((e) => e.type === 'view.decision' && e.fields.outcome === 'allowed');

const controlGranted = (timeline: AuditTimelineEntry[]) => timeline.some((e) => e.type === 'control' && e.fields.action === 'granted');

/** How long the technician had control: "none" when it was never granted (a granted moment can round to 0 s). */
export const controlTime = (s: AuditSession) => (controlGranted(s.timeline) ? formatDuration(s.controlMs) : 'none');

/** What the person shared: the screen (and the windows switched to), control, the clipboard. */
export function sharedLine(s: AuditSession): string {
  if (!viewAllowed(s.timeline)) return 'nothing (the screen was not shared)';
  const parts = ['screen'];
  if (s.sources.length) parts.push(`switched to: ${s.sources.map((x) => displayName(x)).join(', ')}`);
  if (controlGranted(s.timeline)) parts.push('remote control');
  if (s.clipboardSends) parts.push(`clipboard sends: ${s.clipboardSends} (sizes only recorded)`);
  return parts.join('; ');
}

/** The plain text a technician pastes into a ticket: who, when, duration, what was shared, control time, files. */
export function ticketSummary(s: AuditSession): string {
  const lines = [
    `PeerDesk remote session ${s.code ?? s.id}`,
    `Technician: ${technicianLine(s)}`,
    `When: ${utcMinute(s.started)}${s.ended ? ` to ${utcMinute(s.ended)}` : ' (still open)'}`,
    `Duration: ${s.durationMs === null ? 'still open' : formatDuration(s.durationMs)}`,
    `Outcome: ${s.outcome}`,
    `Shared: ${sharedLine(s)}`,
    `Control time: ${controlTime(s)}`,
    `Files: ${s.files.length || 'none'}`,
    ...s.files.map((f) => `  - ${f.direction} ${displayName(f.name, Infinity)}, ${f.size} bytes, SHA-256 ${f.sha256 ?? 'not reported'}`),
    ...(s.hostAddress ? [`Person's address: ${s.hostAddress}`] : []),
    `Audit session id: ${s.id}`,
  ];
  return `${lines.join('\n')}\n`;
}
