import { chainHash } from './canonical';
import type { ChainRecord } from './database';
import type { AuditStore } from './audit-store';

export type Tamper = 'edited' | 'deleted' | 'inserted' | 'reordered';

export type VerifyResult =
  { ok: true; records: number; fromSeq: number; headSeq: number } | { ok: false; seq: number; problem: Tamper; message: string };

function contentHash(prevHash: string, r: ChainRecord): string | undefined {
  try {
    return chainHash(prevHash, r);
  } catch {
    return undefined; // fields that no longer parse: edited
  }
}

/**
 * Walks the chain from the retention checkpoint to the head and names the first record that breaks it. Needs only
 * the records and the two anchors, not trust in whoever stored them. A record's `prev_hash` tells apart a record
 * taken out (it points at a hash no longer there), one put in (the record after it still points past it) and two
 * swapped (each points at the other's place).
 */
export async function verifyChain(store: AuditStore): Promise<VerifyResult> {
  const { head, checkpoint } = await store.anchors();
  const fail = (seq: number, problem: Tamper, message: string): VerifyResult => ({ ok: false, seq, problem, message });
  let expectedSeq = checkpoint.seq + 1;
  let expectedPrev = checkpoint.hash;
  let prevPrev: string | undefined;
  let count = 0;
  let pending: ChainRecord | undefined;
  const check = (r: ChainRecord, next: ChainRecord | undefined): VerifyResult | undefined => {
    if (r.seq < expectedSeq) return fail(r.seq, 'inserted', `record ${r.seq} lies before the retention checkpoint (${checkpoint.seq})`);
    if (r.seq > expectedSeq)
      return fail(expectedSeq, 'deleted', `record ${expectedSeq}${r.seq - 1 > expectedSeq ? `–${r.seq - 1}` : ''} was deleted`);
    if (r.prevHash !== expectedPrev) {
      if (next && next.prevHash === expectedPrev && r.prevHash === next.hash)
        return fail(r.seq, 'reordered', `records ${r.seq} and ${next.seq} were swapped`);
      if (prevPrev !== undefined && r.prevHash === prevPrev) return fail(r.seq - 1, 'inserted', `record ${r.seq - 1} was inserted`);
      return fail(r.seq, 'deleted', `the record before ${r.seq} was deleted or replaced (its link does not match)`);
    }
    if (contentHash(r.prevHash, r) !== r.hash) return fail(r.seq, 'edited', `record ${r.seq} was edited`);
    prevPrev = expectedPrev;
    expectedPrev = r.hash;
    expectedSeq += 1;
    count += 1;
    return undefined;
  };
  // One record of look-ahead: a swap is recognised from the pair.
  for await (const record of store.records()) {
    if (pending) {
      const bad = check(pending, record);
      if (bad) return bad;
    }
    pending = record;
  }
  if (pending) {
    const bad = check(pending, undefined);
    if (bad) return bad;
  }
  const lastSeq = expectedSeq - 1;
  if (head.seq > lastSeq)
    return fail(lastSeq + 1, 'deleted', `record ${lastSeq + 1}${head.seq > lastSeq + 1 ? `–${head.seq}` : ''} was deleted`);
  if (head.seq < lastSeq || head.hash !== expectedPrev)
    return fail(head.seq + 1, 'inserted', `record ${head.seq + 1} was added after the chain's head`);
  return { ok: true, records: count, fromSeq: checkpoint.seq + 1, headSeq: head.seq };
}
