import { once } from 'node:events';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultAuditDbUrl } from './audit-service';
import { AuditStore } from './audit-store';
import { openAuditDb } from './dialect';
import { exportAudit } from './export';
import { verifyChain } from './verify';

const isoTime = (v: string) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`not an ISO 8601 time: ${v}`);
  return d;
};
const dbOption = () =>
  new Option('--db <url>', 'audit database: sqlite:<path> or postgres://…').env('PEERDESK_AUDIT_DB').default(defaultAuditDbUrl());

/** A database that cannot be opened or read is a message and exit code 2, not a stack trace. */
const guarded =
  <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
  async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      console.error(`audit: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    }
  };

/** Runs `task` on the database at `url` and always closes it. */
async function withStore<T>(url: string, task: (store: AuditStore) => Promise<T>): Promise<T> {
  const store = new AuditStore(openAuditDb(url));
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

/** `audit verify` (exit 0 intact, 1 tampered, 2 unreadable) and `audit export` to stdout. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('check or export the tamper-evident audit trail');
  audit
    .command('verify')
    .description('walk the hash chain; exit 0 if intact, 1 naming the first record edited, deleted, inserted or reordered')
    .addOption(dbOption())
    .action(
      guarded(async (o: { db: string }) => {
        const result = await withStore(o.db, verifyChain);
        if (result.ok) {
          console.log(`audit log intact: ${result.records} records (seq ${result.fromSeq}–${result.headSeq})`);
          return;
        }
        console.error(`audit log tampered: ${result.message} (${result.problem}, seq ${result.seq})`);
        process.exitCode = 1;
      }),
    );
  audit
    .command('export')
    .description('write the records of a time window to stdout')
    .addOption(dbOption())
    .addOption(new Option('--from <iso>', 'records at or after this time').argParser(isoTime))
    .addOption(new Option('--to <iso>', 'records before this time').argParser(isoTime))
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'jsonl']).default('jsonl'))
    .addOption(new Option('--technician <email>', "only the sessions of this technician's joins"))
    .action(
      guarded(async (o: { db: string; from?: Date; to?: Date; format: 'csv' | 'jsonl'; technician?: string }) => {
        await withStore(o.db, async (store) => {
          const chunks = exportAudit(store, { from: o.from, to: o.to, format: o.format, technicianEmail: o.technician });
          for await (const chunk of chunks) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
        });
      }),
    );
  return audit;
}
