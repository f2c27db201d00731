import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

const entry = (size: number) => ({ at: Date.now(), reportedBy: 'host' as const, event: { type: 'clipboard.sent' as const, size } });

it("an SQLite commit that has to wait never holds up the server's event loop: appends run in a thread of their own", async () => {
  const url = await freshAuditUrl('sqlite');
  const store = openStore(url);
  await store.ready();
  // Another connection holds the file's write lock, as a commit to a slow disk (or `audit` purging) would.
  const other = new Database(url.slice('sqlite:'.length));
  other.exec('begin immediate');
  let written = false;
  const appended = store.append([entry(5)]).then(() => {
    written = true;
  });
  // On the event loop's own thread the append would sit in SQLite's busy wait and no timer would fire until it
  // gave up (SQLITE_BUSY after the file's busy timeout); here the loop keeps turning while the append waits.
  for (let tick = 0; tick < 5; tick++) await new Promise((r) => setTimeout(r, 10));
  expect(written).toBe(false);
  other.exec('commit');
  other.close();
  await appended;
  expect((await allRecords(store)).map((r) => JSON.parse(r.fields))).toEqual([{ size: 5 }]);
  expect(await verifyChain(store)).toMatchObject({ ok: true, records: 1 });
  await store.close();
});

it("a PostgreSQL batch is chained and sent by the writer thread: it commits while the server's event loop is busy", async () => {
  const url = await freshAuditUrl('postgres', pg);
  const store = openStore(url);
  await store.ready();
  await store.append([entry(1)]); // the thread is up and its statement prepared
  // Straight to the store's database (`append` first awaits the migrations, a turn of the loop this test blocks).
  const appended = store.audit.appendBatch([entry(2), entry(3)]);
  // The event loop stays blocked from here until the rows are in the database (read by psql, another process): an
  // append made on this thread (hashing, then the query) could not even be sent, and this would time out.
  const count = () => Number(execFileSync('psql', [url, '-Atc', 'select count(*) from audit_records'], { encoding: 'utf8' }).trim());
  const deadline = Date.now() + 10_000;
  let rows = count();
  while (rows < 3 && Date.now() < deadline) rows = count();
  expect(rows).toBe(3);
  await appended;
  expect((await allRecords(store)).map((r) => JSON.parse(r.fields))).toEqual([{ size: 1 }, { size: 2 }, { size: 3 }]);
  expect(await verifyChain(store)).toMatchObject({ ok: true, records: 3 });
  await store.close();
});

/** Each thread's nice value in this process, from /proc (the field after the priority). */
function niceByThread(): Map<string, number> {
  return new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    }),
  );
}

it('the writer thread runs below the relay: on Linux its nice value is 10, the event loop keeps its own', async () => {
  const before = niceByThread();
  const relayNice = before.get(String(process.pid))!;
  expect(relayNice).toBeLessThan(10);
  const store = openStore(await freshAuditUrl('sqlite'));
  await store.ready();
  await store.append([entry(1)]); // the first append starts the thread
  const started = [...niceByThread()].filter(([tid]) => !before.has(tid));
  expect(started.map(([, nice]) => nice)).toContain(10);
  expect(niceByThread().get(String(process.pid))).toBe(relayNice);
  await store.close();
});
