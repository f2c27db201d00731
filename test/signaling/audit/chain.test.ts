import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendHash, canonicalJson, chainHash } from '../../../signaling/audit/canonical';
import type { AuditEntry } from '../../../signaling/audit/audit-sink';
import type { AuditStore } from '../../../signaling/audit/audit-store';
import { verifyChain } from '../../../signaling/audit/verify';
import { PostgresServer } from '../../support/postgres-server';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await PostgresServer.start();
});
afterAll(async () => {
  await pg?.destroy();
});

const entry = (i: number, at = Date.now()): AuditEntry => ({
  at,
  session: { id: `session-${i % 3}`, code: '123******' },
  reportedBy: i % 2 ? 'host' : 'server',
  event: i % 2 ? { type: 'clipboard.sent', size: i } : { type: 'session.created', address: `10.0.0.${i}` },
});

async function storeWith(kind: 'sqlite' | 'postgres', n: number): Promise<AuditStore> {
  const store = openStore(await freshAuditUrl(kind, pg));
  await store.append(Array.from({ length: n }, (_, i) => entry(i + 1)));
  return store;
}

describe.each(['sqlite', 'postgres'] as const)('the hash chain on %s', (kind) => {
  it('verifies an intact log, record by record linked to the one before', async () => {
    const store = await storeWith(kind, 6);
    await store.append([entry(7)]);
    const records = await allRecords(store);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (let i = 1; i < records.length; i++) expect(records[i].prevHash).toBe(records[i - 1].hash);
    expect(await verifyChain(store)).toEqual({ ok: true, records: 7, fromSeq: 1, headSeq: 7 });
    await store.close();
  });

  it('names an edited record', async () => {
    const store = await storeWith(kind, 6);
    await store.audit.db.updateTable('audit_records').set({ fields: '{"address":"10.9.9.9"}' }).where('seq', '=', 3).execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 3, problem: 'edited' });
    await store.close();
  });

  it('names a deleted record, in the middle or at the end', async () => {
    const store = await storeWith(kind, 6);
    await store.audit.db.deleteFrom('audit_records').where('seq', '=', 4).execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 4, problem: 'deleted' });
    const tail = await storeWith(kind, 6);
    await tail.audit.db.deleteFrom('audit_records').where('seq', '=', 6).execute();
    expect(await verifyChain(tail)).toMatchObject({ ok: false, seq: 6, problem: 'deleted' });
    await Promise.all([store.close(), tail.close()]);
  });

  it('names a deleted record even when the later ones were renumbered to close the gap', async () => {
    const store = await storeWith(kind, 6);
    const { db } = store.audit;
    await db.deleteFrom('audit_records').where('seq', '=', 4).execute();
    for (const seq of [5, 6])
      await db
        .updateTable('audit_records')
        .set({ seq: seq - 1 })
        .where('seq', '=', seq)
        .execute();
    await db.updateTable('audit_anchors').set({ seq: 5 }).where('name', '=', 'head').execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 4, problem: 'deleted' });
    await store.close();
  });

  it('names an inserted record, even one hashed correctly onto the record before it', async () => {
    const store = await storeWith(kind, 6);
    const { db } = store.audit;
    const records = await allRecords(store);
    // Make room after record 3, then slip in a well-formed record linked to it.
    for (const seq of [6, 5, 4])
      await db
        .updateTable('audit_records')
        .set({ seq: seq + 1 })
        .where('seq', '=', seq)
        .execute();
    const forged = { ...records[2], seq: 4, fields: '{"address":"10.6.6.6"}', type: 'session.created', reportedBy: 'server' };
    const hash = chainHash(records[2].hash, forged);
    const { seq, at, session, code, type, technician, fields } = forged;
    const row = { seq, at, session, code, type, technician, fields, reported_by: 'server', prev_hash: records[2].hash, hash };
    await db.insertInto('audit_records').values(row).execute();
    await db.updateTable('audit_anchors').set({ seq: 7 }).where('name', '=', 'head').execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 4, problem: 'inserted' });
    await store.close();
  });

  it('names two swapped records', async () => {
    const store = await storeWith(kind, 6);
    const { db } = store.audit;
    // Swap records 2 and 3 through a free seq (the primary key forbids two rows with one seq).
    await db.updateTable('audit_records').set({ seq: 100 }).where('seq', '=', 2).execute();
    await db.updateTable('audit_records').set({ seq: 2 }).where('seq', '=', 3).execute();
    await db.updateTable('audit_records').set({ seq: 3 }).where('seq', '=', 100).execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 2, problem: 'reordered' });
    await store.close();
  });

  it('purges records past retention and keeps the rest verifiable from the checkpoint', async () => {
    const store = openStore(await freshAuditUrl(kind, pg));
    const old = Date.now() - 40 * 86_400_000;
    await store.append([entry(1, old), entry(2, old), entry(3, old)]);
    await store.append([entry(4), entry(5)]);
    expect(await store.purgeBefore(new Date(Date.now() - 30 * 86_400_000))).toBe(3);
    expect((await allRecords(store)).map((r) => r.seq)).toEqual([4, 5]);
    expect(await verifyChain(store)).toEqual({ ok: true, records: 2, fromSeq: 4, headSeq: 5 });
    await store.append([entry(6)]);
    expect(await verifyChain(store)).toMatchObject({ ok: true, records: 3 });
    // The remainder is still guarded: the first record after the checkpoint cannot go quietly.
    await store.audit.db.deleteFrom('audit_records').where('seq', '=', 4).execute();
    expect(await verifyChain(store)).toMatchObject({ ok: false, seq: 4, problem: 'deleted' });
    await store.close();
  });
});

it('hashes a record as it is appended exactly as verification hashes it back from the database', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.option(fc.string()), fc.nat(), (fields, session, seq) => {
      const record = {
        seq,
        at: new Date(0).toISOString(),
        session,
        code: '123******',
        type: 'file',
        reportedBy: 'host',
        technician: session,
        fields: canonicalJson(fields),
      };
      expect(appendHash('ab'.repeat(32), record)).toBe(chainHash('ab'.repeat(32), record));
    }),
  );
});

// SQLite: one writer per process by design (better-sqlite3 is synchronous); two processes share a file through its lock.
it('keeps one chain when two writers append to one PostgreSQL at once (the loser of a race for the head chains onto the winner)', async () => {
  const url = await freshAuditUrl('postgres', pg);
  const writers = [openStore(url), openStore(url)];
  await writers[0].ready();
  await Promise.all(
    writers.map(async (w, n) => {
      for (let batch = 0; batch < 15; batch++) await w.append([entry(n * 100 + batch), entry(n * 100 + batch + 50)]);
    }),
  );
  const reader = openStore(url);
  expect(await verifyChain(reader)).toEqual({ ok: true, records: 60, fromSeq: 1, headSeq: 60 });
  await Promise.all([...writers, reader].map((s) => s.close()));
});

/** Canonical JSON as first written (entries filtered, sorted, mapped, joined): the bytes every stored hash covers. */
function canonicalReference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalReference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalReference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

it('makes the same canonical bytes as the first implementation, so records hashed before still verify', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined })), (json, withUndefined) => {
      expect(canonicalJson(json)).toBe(canonicalReference(json));
      expect(canonicalJson(withUndefined)).toBe(canonicalReference(withUndefined));
    }),
    { numRuns: 500 },
  );
});
