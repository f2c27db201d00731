import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { GENESIS_HASH } from './database';

/** The schema's history, oldest first. Never edit a released migration: add the next one. */
const migrations: Record<string, Migration> = {
  '2026-12-06-001-audit-chain': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_records')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('session', 'text')
        .addColumn('code', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('reported_by', 'text', (c) => c.notNull())
        .addColumn('technician', 'text')
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_records_at').on('audit_records').column('at').execute();
      await db.schema.createIndex('audit_records_session').on('audit_records').column('session').execute();
      await db.schema.createIndex('audit_records_technician').on('audit_records').column('technician').execute();
      await db.schema
        .createTable('audit_anchors')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      // Raw SQL: a migration is frozen in time and must not follow later changes of the typed schema.
      await sql`insert into audit_anchors (name, seq, hash) values ('head', 0, ${GENESIS_HASH}), ('checkpoint', 0, ${GENESIS_HASH})`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('audit_anchors').execute();
      await db.schema.dropTable('audit_records').execute();
    },
  },
  /**
   * The technician index only for records that name one (sign-ins, joins and picks by a signed-in technician): the
   * export's technician filter (`technician = ?`) is all that reads it, and a partial index on `technician is not
   * null` serves that comparison on both databases. Every other record — most of them — no longer pays an index
   * insert of a null key when it is appended.
   */
  '2026-12-07-001-partial-technician-index': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_records_technician').execute();
      await db.schema
        .createIndex('audit_records_technician')
        .on('audit_records')
        .column('technician')
        .where(sql.ref('technician'), 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_records_technician').execute();
      await db.schema.createIndex('audit_records_technician').on('audit_records').column('technician').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database to the latest schema (safe when several nodes start at once: Kysely locks its own table). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
