import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditStore } from '../../../signaling/audit/audit-store';
import { openAuditDb } from '../../../signaling/audit/dialect';
import type { ChainRecord } from '../../../signaling/audit/database';
import type { PostgresServer } from '../../support/postgres-server';

let dbCount = 0;

/** A fresh, empty audit database of each kind: an SQLite file in a temp dir, or a new database on the test server. */
export async function freshAuditUrl(kind: 'sqlite' | 'postgres', pg?: PostgresServer): Promise<string> {
  if (kind === 'sqlite') return `sqlite:${join(mkdtempSync(join(tmpdir(), 'peerdesk-audit-')), 'audit.sqlite')}`;
  return pg!.database(`audit_${process.pid}_${++dbCount}`);
}

export function openStore(url: string): AuditStore {
  return new AuditStore(openAuditDb(url));
}

export async function allRecords(store: AuditStore): Promise<ChainRecord[]> {
  const out: ChainRecord[] = [];
  for await (const r of store.records()) out.push(r);
  return out;
}
