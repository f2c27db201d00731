import { sql } from 'kysely';
import type { AuditEntry } from './audit-sink';
import type { AuditRecordTable, ChainRecord } from './database';
import type { AuditDb } from './dialect';
import { migrateToLatest } from './migrations';

/** A stored row as it came from either driver → the chain's view (PostgreSQL returns bigint as text). */
export function toChainRecord(row: Omit<AuditRecordTable, 'seq'> & { seq: number | string }): ChainRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    session: row.session,
    code: row.code,
    type: row.type,
    reportedBy: row.reported_by,
    technician: row.technician,
    fields: row.fields,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Appends and purges the hash chain: appends never fork it (dialect.ts `appendBatch`), purges hold the chain lock. */
export class AuditStore {
  private migrated?: Promise<void>;

  constructor(readonly audit: AuditDb) {}

  /** Migrates once (retried on the next call if the database was unreachable). */
  ready(): Promise<void> {
    this.migrated ??= migrateToLatest(this.audit.db).catch((err: unknown) => {
      this.migrated = undefined;
      throw err;
    });
    return this.migrated;
  }

  /** Writes the entries in order as one transaction, after the current head of the chain. */
  async append(entries: AuditEntry[]): Promise<void> {
    await this.ready();
    await this.audit.appendBatch(entries);
  }

  /**
   * Deletes records older than `before` and moves the checkpoint to the last one deleted, so verification of what
   * remains starts from its hash. Returns how many were purged.
   */
  async purgeBefore(before: Date): Promise<number> {
    await this.ready();
    return this.audit.db.transaction().execute(async (trx) => {
      await this.audit.lockChain(trx);
      const last = await trx
        .selectFrom('audit_records')
        .select(['seq', 'hash'])
        .where('at', '<', before.toISOString())
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!last) return 0;
      const deleted = await trx.deleteFrom('audit_records').where('seq', '<=', last.seq).executeTakeFirst();
      await trx.updateTable('audit_anchors').set({ seq: last.seq, hash: last.hash }).where('name', '=', 'checkpoint').execute();
      return Number(deleted.numDeletedRows);
    });
  }

  async anchors(): Promise<{ head: { seq: number; hash: string }; checkpoint: { seq: number; hash: string } }> {
    await this.ready();
    const rows = await this.audit.db.selectFrom('audit_anchors').select(['name', 'seq', 'hash']).execute();
    const get = (name: string) => {
      const row = rows.find((r) => r.name === name);
      if (!row) throw new Error(`the audit database has no ${name} anchor`);
      return { seq: Number(row.seq), hash: row.hash };
    };
    return { head: get('head'), checkpoint: get('checkpoint') };
  }

  /** Records in chain order, `pageSize` at a time (a log may hold millions). */
  async *records(pageSize = 1000): AsyncGenerator<ChainRecord> {
    await this.ready();
    let after = -1;
    for (;;) {
      const rows = await this.audit.db
        .selectFrom('audit_records')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of rows) yield toChainRecord(row);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async count(): Promise<number> {
    await this.ready();
    const { n } = await this.audit.db
      .selectFrom('audit_records')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  close(): Promise<void> {
    return this.audit.close();
  }
}
