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
  return canonicalObject(value as Record<string, unknown>);
}

/** An object as canonical JSON, `omit` (a key) left out: an event's fields without its `type`, and no copy made of them. */
export function canonicalObject(object: Record<string, unknown>, omit?: string): string {
  // The default sort compares UTF-16 code units, as `<` on strings does.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined || key === omit) continue;
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

/** The bytes `recordBytes` makes for a record whose `fields` are canonical JSON already, without parsing them back. */
function appendText(r: Omit<ChainRecord, 'prevHash' | 'hash'>): string {
  const s = JSON.stringify;
  return `{"at":${s(r.at)},"code":${s(r.code)},"fields":${r.fields},"reportedBy":${s(r.reportedBy)},"seq":${s(r.seq)},"session":${s(r.session)},"technician":${s(r.technician)},"type":${s(r.type)}}`;
}

/**
 * `chainHash` for a record being appended, whose `fields` are canonical JSON just made: the same bytes as
 * `recordBytes` (keys in code-point order, `fields` verbatim — canonical JSON parsed and made canonical again is
 * itself) without parsing the fields back. Verification keeps `chainHash`, which trusts no stored text.
 */
export function appendHash(prevHash: string, r: Omit<ChainRecord, 'prevHash' | 'hash'>): string {
  return new AppendHasher(Buffer.from(prevHash, 'hex')).next(r).toString('hex');
}

/**
 * `appendHash` along a batch: each record's digest stays raw for the next one's prefix (no hex decoding per record),
 * and its input is written into one buffer reused for the whole batch (no Buffer per string, no concatenation). Per
 * record, in the writer thread, these were most of a record's cost: a batch a second runs there as cold code, where
 * every small Buffer call counts.
 */
export class AppendHasher {
  private input = Buffer.allocUnsafe(1024);

  constructor(private prev: Buffer) {}

  /** The record's hash, raw (`toString('hex')` is its stored form); it becomes the next record's `prev_hash`. */
  next(r: Omit<ChainRecord, 'prevHash' | 'hash'>): Buffer {
    const text = appendText(r);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.input.length < 32 + text.length * 3) this.input = Buffer.allocUnsafe(32 + text.length * 3);
    this.prev.copy(this.input, 0);
    const end = 32 + this.input.write(text, 32, 'utf8');
    this.prev = hash('sha256', this.input.subarray(0, end), 'buffer');
    return this.prev;
  }
}
