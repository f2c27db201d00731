import { createHash } from 'node:crypto';
import type { ChainRecord } from './database';

/**
 * JSON with object keys in code-point order and no whitespace, so the same value always gives the same bytes,
 * however a driver or a JSON parser hands it back. Values are what zod let through: strings, finite numbers,
 * booleans, null, arrays and plain objects (`undefined` members are left out, as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in an audit record');
  return JSON.stringify(value);
}

/** What a record's hash covers: every stored column but the hashes themselves. */
export function recordBytes(r: Omit<ChainRecord, 'prevHash' | 'hash'>): Buffer {
  const { seq, at, session, code, type, reportedBy, technician, fields } = r;
  return Buffer.from(canonicalJson({ seq, at, session, code, type, reportedBy, technician, fields: JSON.parse(fields) }), 'utf8');
}

/** `sha256(prev_hash || canonical bytes)`, hex: each record commits to every record before it. */
export function chainHash(prevHash: string, r: Omit<ChainRecord, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(recordBytes(r)).digest('hex');
}

/**
 * `chainHash` for a record being appended, whose `fields` are canonical JSON just made: the same bytes as
 * `recordBytes` (keys in code-point order, `fields` verbatim — canonical JSON parsed and made canonical again is
 * itself) without parsing the fields back. Verification keeps `chainHash`, which trusts no stored text.
 */
export function appendHash(prevHash: string, r: Omit<ChainRecord, 'prevHash' | 'hash'>): string {
  const s = JSON.stringify;
  const bytes = `{"at":${s(r.at)},"code":${s(r.code)},"fields":${r.fields},"reportedBy":${s(r.reportedBy)},"seq":${s(r.seq)},"session":${s(r.session)},"technician":${s(r.technician)},"type":${s(r.type)}}`;
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(bytes, 'utf8').digest('hex');
}
