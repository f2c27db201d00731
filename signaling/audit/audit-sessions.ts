import type { AuditOutcomeFilter, AuditSession, AuditSessionsResponse, AuditTimelineEntry } from '../../protocol/audit-sessions';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import type { AuditStore } from './audit-store';
import type { ChainRecord } from './database';
import { filteredRecords, whereMatches, type RecordFilter } from './export';

/** Sessions one answer carries (newest first), and records per session timeline: a console page, not an archive. */
export const MAX_SESSIONS = 500;
const MAX_TIMELINE = 2000;

type Fields = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One session's records folded into what the console lists. Records arrive in chain order. */
class SessionFold {
  private readonly timeline: AuditTimelineEntry[] = [];
  private first?: string;
  private code: string | null = null;
  private ended: string | null = null;
  private durationMs: number | null = null;
  private endReason?: string;
  private decision?: string;
  private hostAddress: string | null = null;
  private person: string | null = null;
  private team: string | null = null;
  /** Every answer the host gave and whether a technician handed the session on: what the outcome filter matches. */
  readonly decisions = new Set<string>();
  handedOver = false;
  /** The verified technician of the last join that asked, and the one the host let in. */
  private asking?: { identity?: VerifiedIdentity; name?: string };
  private admitted?: { identity?: VerifiedIdentity; name?: string };
  private controlSince?: number;
  private controlMs = 0;
  private clipboardSends = 0;
  private readonly files: AuditSession['files'] = [];
  private readonly sources: string[] = [];

  constructor(readonly id: string) {}

  add(r: ChainRecord): void {
    const fields = JSON.parse(r.fields) as Fields;
    this.first ??= r.at;
    this.code ??= r.code;
    if (this.timeline.length < MAX_TIMELINE)
      this.timeline.push({ seq: r.seq, at: r.at, type: r.type, reportedBy: r.reportedBy as AuditTimelineEntry['reportedBy'], fields });
    this.apply(r, fields, Date.parse(r.at));
  }

  private apply(r: ChainRecord, f: Fields, at: number): void {
    switch (r.type) {
      case 'session.created':
        this.hostAddress = str(f.address) ?? null;
        return;
      case 'join.attempt':
        if (f.result === 'pending') this.asking = { identity: f.identity as VerifiedIdentity | undefined, name: str(f.name) };
        return;
      case 'help.requested':
        this.person = str(f.name) ?? null;
        this.team = str(f.team) ?? null;
        return;
      case 'help.handover': {
        this.handedOver = true;
        const team = str((f.to as Fields | undefined)?.team);
        if (team) this.team = team;
        return this.stopControl(at);
      }
      case 'help.picked':
        this.asking = { identity: f.identity as VerifiedIdentity };
        return;
      case 'view.decision':
        this.decision = str(f.outcome);
        if (this.decision) this.decisions.add(this.decision);
        if (f.outcome === 'allowed') this.admitted = this.asking;
        return;
      case 'control':
        if (f.action === 'granted') this.controlSince ??= at;
        if (f.action === 'revoked') this.stopControl(at);
        return;
      case 'viewer.left':
        return this.stopControl(at);
      case 'session.ended':
        this.ended = r.at;
        this.durationMs = num(f.durationMs) ?? null;
        this.endReason = str(f.reason);
        return this.stopControl(at);
      case 'file':
        if (f.action === 'completed' && this.files.length < 1000) this.files.push(fileOf(f, r.reportedBy));
        return;
      case 'source.switched':
        if (this.sources.length < 200) this.sources.push(str(f.label) ?? str(f.kind) ?? 'another source');
        return;
      case 'clipboard.sent':
        this.clipboardSends++;
        return;
    }
  }

  private stopControl(at: number): void {
    if (this.controlSince === undefined) return;
    this.controlMs += Math.max(0, at - this.controlSince);
    this.controlSince = undefined;
  }

  result(now: number): AuditSession {
    const who = this.admitted ?? this.asking;
    const liveControl = this.controlSince === undefined || this.ended ? 0 : Math.max(0, now - this.controlSince);
    return {
      id: this.id,
      code: this.code,
      started: this.first!,
      ended: this.ended,
      durationMs: this.durationMs ?? (this.ended ? Date.parse(this.ended) - Date.parse(this.first!) : null),
      technician: who?.identity ?? null,
      typedName: who && !who.identity ? (who.name ?? null) : null,
      hostAddress: this.hostAddress,
      person: this.person,
      team: this.team,
      outcome: this.outcome(),
      controlMs: this.controlMs + liveControl,
      files: this.files,
      sources: this.sources,
      clipboardSends: this.clipboardSends,
      timeline: this.timeline,
    };
  }

  private outcome(): string {
    if (this.ended)
      return this.decision && this.decision !== 'allowed' ? `${this.decision}, ended: ${this.endReason}` : `ended: ${this.endReason}`;
    return this.decision && this.decision !== 'allowed' ? this.decision : 'live';
  }
}

function fileOf(f: Fields, reportedBy: string): AuditSession['files'][number] {
  const sha256 = str(f.sha256);
  return {
    name: str(f.name) ?? '',
    size: num(f.size) ?? 0,
    ...(sha256 ? { sha256 } : {}),
    direction: f.direction === 'received' ? 'received' : 'sent',
    reportedBy: reportedBy as AuditSession['files'][number]['reportedBy'],
  };
}

/** What the console filters sessions by beyond the records' own columns (dates, technician): known only once folded. */
export interface SessionMatch {
  /** Part of the person's name, any case. */
  person?: string;
  team?: string;
  outcome?: AuditOutcomeFilter;
}

function matches(fold: SessionFold, s: AuditSession, m: SessionMatch): boolean {
  if (m.person && !s.person?.toLocaleLowerCase().includes(m.person.toLocaleLowerCase())) return false;
  if (m.team && s.team !== m.team) return false;
  switch (m.outcome) {
    case undefined:
      return true;
    case 'live':
      return s.ended === null;
    case 'ended':
      return s.ended !== null;
    case 'handed-over':
      return fold.handedOver;
    default:
      return fold.decisions.has(m.outcome);
  }
}

const hasMatch = (m: SessionMatch) => Boolean(m.person || m.team || m.outcome);

/** The ids of the `limit` sessions that began latest in the window (by their first record in it), newest first. */
async function newestSessions(store: AuditStore, filter: RecordFilter, limit: number): Promise<string[]> {
  await store.ready();
  const { db } = store.audit;
  const rows = await whereMatches(db.selectFrom('audit_records').where('session', 'is not', null), filter)
    .select(['session', (eb) => eb.fn.min('seq').as('first')])
    .groupBy('session')
    .orderBy('first', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.session!);
}

/**
 * The sessions with records in the window (the same visibility rule as the export: a technician's filter keeps the
 * sessions one of their joins reached), newest first, at most `limit`: only their records are read. A session
 * that began before the window shows from its first record inside it. Records of a join to no live session (no
 * session id) are not a session. `match` (person, team, outcome) is applied to the folded sessions, so it looks at
 * the newest `scan` sessions of the window; `truncated` says when there were more.
 */
export async function auditSessions(
  store: AuditStore,
  filter: RecordFilter,
  { now = Date.now(), limit = MAX_SESSIONS, match = {} as SessionMatch, scan = 10 * MAX_SESSIONS } = {},
): Promise<Omit<AuditSessionsResponse, 'scope'>> {
  const ids = await newestSessions(store, filter, (hasMatch(match) ? scan : limit) + 1);
  const page = ids.slice(0, hasMatch(match) ? scan : limit);
  const folds = new Map(page.map((id) => [id, new SessionFold(id)]));
  if (page.length) for await (const r of filteredRecords(store, { ...filter, sessions: page })) folds.get(r.session!)?.add(r);
  const kept = [...folds.values()]
    .map((f) => ({ fold: f, session: f.result(now) }))
    .filter(({ fold, session }) => matches(fold, session, match))
    .map(({ session }) => session)
    .sort((a, b) => b.started.localeCompare(a.started));
  return { sessions: kept.slice(0, limit), truncated: ids.length > page.length || kept.length > limit };
}
