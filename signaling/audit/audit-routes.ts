import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Logger } from 'pino';
import * as z from 'zod';
import type { SignIn } from '../auth/sign-in';
import type { AuditStore } from './audit-store';
import { auditOutcomeFilterSchema } from '../../protocol/audit-sessions';
import { auditSessions, type SessionMatch } from './audit-sessions';
import { exportAudit, type RecordFilter } from './export';

const time = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO-8601 date or date-time, e.g. 2026-12-01T00:00:00Z' })
  .transform((v) => new Date(v));

const windowSchema = z
  .object({
    from: time.optional(),
    to: time.optional(),
    technician: z.email({ error: 'technician must be an email address' }).max(254).optional(),
    /** Part of the person's name (the support queue's request), any case. */
    person: z.string().trim().min(1).max(64).optional(),
    team: z.string().trim().min(1).max(32).optional(),
    outcome: auditOutcomeFilterSchema.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: 'from must be before to', path: ['from'] });

const exportSchema = windowSchema.and(z.object({ format: z.enum(['csv', 'jsonl'], { error: 'format must be csv or jsonl' }) }));

const CONTENT_TYPE = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;

export interface AuditRoutesDeps {
  /** Undefined: the trail is off (`--audit-db off`), and so are these routes. */
  store?: AuditStore;
  signIn: Pick<SignIn, 'sessionOf'>;
  log: Logger;
}

/**
 * `GET /api/audit/export` and `GET /api/audit/sessions` for signed-in technicians: an admin (the sign-in's admin list,
 * as `/auth/me` says) reads everyone's records and may filter by technician; anyone else reads only the sessions one
 * of their own joins reached, whatever the query asks. Returns false for any other path.
 */
export function auditRoutes(deps: AuditRoutesDeps) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://peerdesk.invalid');
    if (!url.pathname.startsWith('/api/audit/')) return false;
    const route = url.pathname.slice('/api/audit/'.length);
    if (route !== 'export' && route !== 'sessions') return sendError(res, 404, 'No such audit route.');
    if (req.method !== 'GET') return sendError(res, 405, 'Use GET.');
    void serve(deps, req, res, route, url.searchParams).catch((err: unknown) => {
      deps.log.error({ err, route }, 'audit route failed');
      if (!res.headersSent) sendError(res, 500, 'The audit trail could not be read. Try again.');
      else res.destroy();
    });
    return true;
  };
}

async function serve(deps: AuditRoutesDeps, req: IncomingMessage, res: ServerResponse, route: string, params: URLSearchParams) {
  const { store } = deps;
  if (!store) return sendError(res, 404, 'The audit trail is off on this server (start it with --audit-db).');
  const { session, setCookie } = await deps.signIn.sessionOf(req);
  if (setCookie.length) res.setHeader('Set-Cookie', setCookie);
  if (!session) return sendError(res, 401, 'Sign in as a technician to read the audit trail.');
  const parsed = (route === 'export' ? exportSchema : windowSchema).safeParse(Object.fromEntries(params));
  if (!parsed.success)
    return sendError(res, 400, parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  const q = parsed.data;
  // The visibility rule: a technician's own email, whatever `technician=` says; an admin's choice, or everyone.
  const filter: RecordFilter = {
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(session.admin ? (q.technician ? { technicianEmail: q.technician } : {}) : { technicianEmail: session.email }),
  };
  const match: SessionMatch = {
    ...(q.person ? { person: q.person } : {}),
    ...(q.team ? { team: q.team } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
  };
  if (route === 'sessions') {
    const body = { ...(await auditSessions(store, filter, { match })), scope: session.admin ? 'all' : 'own' };
    return send(res, 200, 'application/json', JSON.stringify(body));
  }
  // Person, team and outcome are known per session once folded: the export takes the matching sessions' records.
  const matched = Object.keys(match).length
    ? { sessions: (await auditSessions(store, filter, { match, limit: 10_000, scan: 10_000 })).sessions.map((s) => s.id) }
    : {};
  const format = (q as { format: 'csv' | 'jsonl' }).format;
  await stream(res, exportAudit(store, { ...filter, ...matched, format }), format, fileName(filter, format));
}

/** Chunks as the client takes them (backpressure); a client that goes away stops the reading. */
async function stream(res: ServerResponse, chunks: AsyncGenerator<string>, format: 'csv' | 'jsonl', name: string) {
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPE[format],
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  });
  for await (const chunk of chunks) {
    if (res.destroyed) return; // leaving the loop ends the generator's reading
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

/** `peerdesk-audit_2026-12-01T00-00-00Z_2026-12-08T00-00-00Z.csv`: the window, safe in any file system. */
function fileName(filter: RecordFilter, format: string): string {
  const stamp = (d: Date | undefined, none: string) =>
    d
      ? d
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z')
          .replace(/:/g, '-')
      : none;
  const who = filter.technicianEmail ? `_${filter.technicianEmail.replace(/[^A-Za-z0-9.@_-]/g, '_')}` : '';
  return `peerdesk-audit_${stamp(filter.from, 'start')}_${stamp(filter.to, 'now')}${who}.${format}`;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, error: string): true {
  send(res, status, 'application/json', JSON.stringify({ error }));
  return true;
}
