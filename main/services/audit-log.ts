import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export type AuditEvent =
  | 'viewer.joined'
  | 'viewer.left'
  | 'source.shared'
  | 'control.requested'
  | 'control.request-refused'
  | 'control.granted'
  | 'control.denied'
  | 'control.revoked'
  | 'control.ended'
  | 'file.received'
  | 'clipboard.on'
  | 'clipboard.off';

export interface AuditEntry {
  time: string;
  event: AuditEvent;
  viewer?: string;
  /** A joined viewer: the email the server verified (sign-in), or false when the name was only typed. */
  verified?: string | false;
  source?: string;
  reason?: string;
  /** A refused request: how long the cool-down still runs (null: the host said don't ask again). */
  retryAfterMs?: number | null;
  /** A Deny that also shuts the prompt for the rest of the session. */
  dontAskAgain?: boolean;
  /** A received file: the name it was saved under, its size and SHA-256. */
  file?: { name: string; size: number; sha256: string };
}

/** Append-only JSON lines the host can read back; never rewritten, never holds secrets. */
export class AuditLog {
  constructor(
    private readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(event: AuditEvent, details: Omit<AuditEntry, 'time' | 'event'> = {}): void {
    const entry: AuditEntry = { time: this.now().toISOString(), event, ...details };
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { flag: 'a' });
  }

  read(): AuditEntry[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEntry);
  }
}
