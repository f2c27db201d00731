import { expect, vi } from 'vitest';
import { allRecords, openStore } from '../signaling/audit/audit-db';

export interface ReportedRecord {
  reportedBy: string;
  fields: Record<string, unknown>;
}

/**
 * The stored audit records of `type` that `which` picks, once there are at least `count` of them: a page's report is
 * written a moment after it is sent, so the e2e suites wait for it (up to `timeoutMs`) rather than read once.
 */
export async function reportedRecords(
  auditDb: string,
  type: string,
  count: number,
  which: (fields: Record<string, unknown>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<ReportedRecord[]> {
  const store = openStore(auditDb);
  try {
    let found: ReportedRecord[] = [];
    await vi.waitFor(
      async () => {
        found = (await allRecords(store))
          .filter((r) => r.type === type)
          .map((r) => ({ reportedBy: r.reportedBy, fields: JSON.parse(r.fields) as Record<string, unknown> }))
          .filter((r) => which(r.fields));
        expect(found.length).toBeGreaterThanOrEqual(count);
      },
      { timeout: timeoutMs },
    );
    return found;
  } finally {
    await store.close();
  }
}
