import { createHash, hash } from 'node:crypto';
import type { ChainRecord } from './database';

/**
 * JSON with object keys in code-point order and no whitespace, so the same value always gives the same bytes,
 * however a driver or a JSON parser hands it back. Values are what zod let through: strings, finite numbers,
 * booleans, null, arrays and plain objects (`undefined` members are left out, as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  // Loops and `+=` rather than entries/filter/map/join: this runs for every record appended, mostly as cold code (a
  // batch a second), where each intermediate array costs.
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in an audit record');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(value[i]) ?? '');
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return out + '}';
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
  // One-shot over one buffer: a Hash object per record (createHash, two updates, digest) cost about twice as much, on
  // the writer thread where appends run.
  return hash('sha256', Buffer.concat([Buffer.from(prevHash, 'hex'), Buffer.from(bytes, 'utf8')]), 'hex');
}
