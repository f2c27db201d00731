import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AuditEntry } from '../../../signaling/audit/audit-sink';
import { chainHash } from '../../../signaling/audit/canonical';
import { chainRows } from '../../../signaling/audit/chain-rows';
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

const identity = { name: 'Tess Tech', email: 'tess@example.com', issuer: 'id.example.com' };

/** Mostly file reports (no technician, as most records), every tenth a technician's pick (one). */
const entry = (i: number): AuditEntry => ({
  at: Date.UTC(2026, 11, 7) + i,
  session: { id: `session-${i % 7}`, code: '123******' },
  reportedBy: i % 10 ? 'host' : 'server',
  event:
    i % 10
      ? { type: 'file', action: 'completed', direction: 'received', name: `report ${i}.pdf`, size: i, sha256: 'ab'.repeat(32) }
      : { type: 'help.picked', identity, address: '10.0.0.1' },
});

it('chains records to the same hashes as before the appender was reworked (the stored format is unchanged)', () => {
  // Hashes made by the appender of a01d7dd (before this rework) for these two records.
  const out = chainRows({ seq: 41, hash: 'cd'.repeat(32) }, [
    {
      at: Date.UTC(2026, 11, 7, 12),
      session: { id: 'abc', code: '123******' },
      reportedBy: 'host',
      event: { type: 'file', action: 'completed', direction: 'received', name: 'Résumé "final".pdf', size: 1234, sha256: 'ab'.repeat(32) },
    },
    { at: Date.UTC(2026, 11, 7, 12, 0, 1), reportedBy: 'server', event: { type: 'help.picked', identity, address: '10.0.0.1' } },
  ]);
  expect(out.rows.map((r) => r.hash)).toEqual([
    '378e72de68bddd66309951f7ffdbcf0847bd9cd2cabb242300a3f649aa322d25',
    expect.stringMatching(/^[0-9a-f]{64}$/),
  ]);
  expect(out.rows[1].prev_hash).toBe(out.rows[0].hash);
  expect(out.head).toEqual({ seq: 43, hash: out.rows[1].hash });
  // Record by record, what verification computes from the stored columns.
  for (const r of out.rows) expect(chainHash(r.prev_hash, { ...r, reportedBy: r.reported_by })).toBe(r.hash);
});

describe.each(['sqlite', 'postgres'] as const)('appending batches on %s', (kind) => {
  it('stores a batch larger than one INSERT statement in order, and it verifies', async () => {
    const store = openStore(await freshAuditUrl(kind, pg));
    // 130: two statements of 50 rows and a remainder of 30, then a batch of one.
    await store.append(Array.from({ length: 130 }, (_, i) => entry(i + 1)));
    await store.append([entry(131)]);
    const records = await allRecords(store);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 131 }, (_, i) => i + 1));
    expect(records[99]).toMatchObject({ seq: 100, type: 'help.picked', technician: 'tess@example.com' });
    expect(records[100]).toMatchObject({
      seq: 101,
      type: 'file',
      technician: null,
      fields: expect.stringContaining('"name":"report 101.pdf"'),
    });
    expect(await verifyChain(store)).toEqual({ ok: true, records: 131, fromSeq: 1, headSeq: 131 });
    await store.close();
  });

  it('upgrades an existing log to the partial technician index; old records still verify and the filter still finds them', async () => {
    const url = await freshAuditUrl(kind, pg);
    const old = openStore(url);
    await old.ready();
    // The log as the first schema left it: the full technician index, the second migration not yet run.
    await old.audit.db.schema.dropIndex('audit_records_technician').execute();
    await old.audit.db.schema.createIndex('audit_records_technician').on('audit_records').column('technician').execute();
    await sql`delete from kysely_migration where name = '2026-12-07-001-partial-technician-index'`.execute(old.audit.db);
    await old.append(Array.from({ length: 20 }, (_, i) => entry(i + 1)));
    await old.close();

    const store = openStore(url);
    await store.append([entry(21)]);
    expect(await verifyChain(store)).toEqual({ ok: true, records: 21, fromSeq: 1, headSeq: 21 });
    const definition =
      kind === 'sqlite'
        ? await sql<{ d: string }>`select sql as d from sqlite_master where name = 'audit_records_technician'`.execute(store.audit.db)
        : await sql<{ d: string }>`select indexdef as d from pg_indexes where indexname = 'audit_records_technician'`.execute(
            store.audit.db,
          );
    expect(definition.rows[0].d.toLowerCase()).toMatch(/where \(?"?technician"? is not null\)?/);
    const picked = await store.audit.db
      .selectFrom('audit_records')
      .select('seq')
      .where('technician', '=', 'tess@example.com')
      .orderBy('seq')
      .execute();
    expect(picked.map((r) => Number(r.seq))).toEqual([10, 20]);
    if (kind === 'sqlite') {
      // SQLite takes the partial index for `technician = ?` (the export's technician filter).
      const plan = await sql<{
        detail: string;
      }>`explain query plan select session from audit_records where technician = ${'tess@example.com'} and session is not null`.execute(
        store.audit.db,
      );
      expect(plan.rows.map((r) => r.detail).join(' ')).toContain('audit_records_technician');
    }
    await store.close();
  });
});
