import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { verifyChain } from '../../../signaling/audit/verify';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

it("an SQLite commit that has to wait never holds up the server's event loop: appends run in a thread of their own", async () => {
  const url = await freshAuditUrl('sqlite');
  const store = openStore(url);
  await store.ready();
  // Another connection holds the file's write lock, as a commit to a slow disk (or `audit` purging) would.
  const other = new Database(url.slice('sqlite:'.length));
  other.exec('begin immediate');
  let written = false;
  const appended = store.append([{ at: Date.now(), reportedBy: 'host', event: { type: 'clipboard.sent', size: 5 } }]).then(() => {
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
