import type { ClientAuditEvent } from '../../protocol/audit-reports';

export type LogKind = 'joined' | 'source' | 'control' | 'file-sent' | 'file-received' | 'clipboard' | 'recording' | 'join-failed' | 'ended';

export interface LogEvent {
  /** Epoch ms. */
  at: number;
  kind: LogKind;
  text: string;
  detail?: Record<string, string | number | boolean>;
}

export interface SessionSummary {
  durationMs: number;
  filesSent: number;
  filesReceived: number;
  /** How long the technician had control, in total. */
  controlMs: number;
}

/**
 * What happened in this session, as this side saw it, in order: who joined, what was shared, control granted and
 * revoked, files with their SHA-256, failed join attempts, the end. Exportable for the helpdesk ticket as JSON lines
 * and as readable text. (The desktop app's append-only audit trail in main is the record the host keeps; this is
 * the page's own timeline, the same in the app and in a browser.)
 */
export class SessionLog {
  readonly events: LogEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly reportListeners = new Set<(event: ClientAuditEvent) => void>();
  private readonly startedAt: number;
  private controlSince?: number;
  private controlMs = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /**
   * `at`: when it happened, if earlier than now (the host's Allow, recorded once the server confirms the join). The
   * timeline stays in time order whatever order things are recorded in.
   */
  record(kind: LogKind, text: string, detail?: LogEvent['detail'], at = this.now()): void {
    if (kind === 'control') {
      const granted = detail?.state === 'granted';
      if (granted && this.controlSince === undefined) this.controlSince = at;
      if (!granted && this.controlSince !== undefined) {
        this.controlMs += at - this.controlSince;
        this.controlSince = undefined;
      }
    }
    const event = { at, kind, text, ...(detail ? { detail } : {}) };
    const later = this.events.findIndex((e) => e.at > at);
    if (later < 0) this.events.push(event);
    else this.events.splice(later, 0, event);
    for (const l of this.listeners) l();
  }

  /**
   * Something the server's audit trail should hear from this side that is not a line of this timeline (a file
   * offered or accepted, a screen the technician picked, a join the host's policy declined): passed to `onReport`.
   */
  report(event: ClientAuditEvent): void {
    for (const l of this.reportListeners) l(event);
  }

  onReport(listener: (event: ClientAuditEvent) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get ended(): boolean {
    return this.events.some((e) => e.kind === 'ended');
  }

  /** So far, or up to the end once the session ended. */
  summary(): SessionSummary {
    const now = this.events.find((e) => e.kind === 'ended')?.at ?? this.now();
    return {
      durationMs: now - this.startedAt,
      filesSent: this.events.filter((e) => e.kind === 'file-sent').length,
      filesReceived: this.events.filter((e) => e.kind === 'file-received').length,
      controlMs: this.controlMs + (this.controlSince !== undefined ? now - this.controlSince : 0),
    };
  }

  /** One event per line, then the same summary the text export ends with (`"event": "summary"`). */
  toJsonLines(): string {
    const lines = this.events.map((e) => JSON.stringify({ time: new Date(e.at).toISOString(), event: e.kind, text: e.text, ...e.detail }));
    lines.push(JSON.stringify({ time: new Date(this.now()).toISOString(), event: 'summary', ...this.summary() }));
    return lines.join('\n') + '\n';
  }

  toText(): string {
    const lines = this.events.map((e) => `${new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)}  ${e.text}`);
    const s = this.summary();
    lines.push(
      '',
      `Duration ${formatDuration(s.durationMs)} · control ${formatDuration(s.controlMs)} · files sent ${s.filesSent}, received ${s.filesReceived}`,
    );
    return lines.join('\n') + '\n';
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
}
