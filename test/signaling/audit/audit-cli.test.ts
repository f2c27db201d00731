import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../signaling/audit/audit-sink';
import { exportAudit } from '../../../signaling/audit/export';
import { SignalingProcess } from '../../support/signaling-process';
import { TestClient } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from './audit-db';

/** The built CLI (npm test builds first): its exit code and what it wrote. Each run starts Node afresh: slow on a busy machine. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc = spawn(process.execPath, ['dist/signaling/cli.mjs', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const [code] = (await once(proc, 'exit')) as [number];
  return { code, stdout, stderr };
}

const DAY = 86_400_000;
const tina = { name: 'Tina', email: 'tina@example.com', issuer: 'idp.example.com' };
const tom = { name: 'Tom', email: 'tom@example.com', issuer: 'idp.example.com' };

/** Two sessions a day apart: Tina's yesterday (with a comma and a quote to escape), Tom's today. */
async function sampleLog(): Promise<string> {
  const url = await freshAuditUrl('sqlite');
  const store = openStore(url);
  const yesterday = Date.parse('2026-12-05T10:00:00Z');
  const today = Date.parse('2026-12-06T10:00:00Z');
  const entries: AuditEntry[] = [
    {
      at: yesterday,
      session: { id: 'session-a', code: '111******' },
      reportedBy: 'server',
      event: { type: 'session.created', address: '10.0.0.1' },
    },
    {
      at: yesterday + 1000,
      session: { id: 'session-a', code: '111******' },
      reportedBy: 'server',
      event: { type: 'join.attempt', name: 'Tina, "IT"', identity: tina, address: '10.0.0.2', result: 'pending' },
    },
    {
      at: today,
      session: { id: 'session-b', code: '222******' },
      reportedBy: 'server',
      event: { type: 'session.created', address: '10.0.0.3' },
    },
    {
      at: today + 1000,
      session: { id: 'session-b', code: '222******' },
      reportedBy: 'server',
      event: { type: 'join.attempt', name: 'Tom', identity: tom, address: '10.0.0.4', result: 'pending' },
    },
    { at: today + 2000, session: { id: 'session-b', code: '222******' }, reportedBy: 'viewer', event: { type: 'clipboard.sent', size: 9 } },
  ];
  await store.append(entries);
  await store.close();
  return url;
}

describe('audit verify', { timeout: 180_000 }, () => {
  it('exits 0 on an intact log and 1 naming the first record edited, 2 when the database cannot be read', async () => {
    const url = await sampleLog();
    const intact = await cli(['audit', 'verify', '--db', url]);
    expect(intact).toMatchObject({ code: 0, stdout: 'audit log intact: 5 records (seq 1–5)\n' });

    const store = openStore(url);
    await store.audit.db.updateTable('audit_records').set({ fields: '{"size":9000}' }).where('seq', '=', 5).execute();
    await store.audit.db.deleteFrom('audit_records').where('seq', '=', 2).execute();
    await store.close();
    const tampered = await cli(['audit', 'verify', '--db', url]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toBe('audit log tampered: record 2 was deleted (deleted, seq 2)\n');

    const unreadable = await cli(['audit', 'verify', '--db', 'postgres://nobody@127.0.0.1:1/none']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^audit: .*ECONNREFUSED/);
  });
});

describe('audit export', { timeout: 180_000 }, () => {
  it('writes a time window as CSV (RFC 4180 quoting) or JSON lines', async () => {
    const url = await sampleLog();
    const csv = await cli([
      'audit',
      'export',
      '--db',
      url,
      '--from',
      '2026-12-05T00:00:00Z',
      '--to',
      '2026-12-06T00:00:00Z',
      '--format',
      'csv',
    ]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe('seq,at,session,code,type,reported_by,technician,fields,prev_hash,hash');
    expect(lines).toHaveLength(4); // header, two records, the final line break
    expect(lines[2]).toContain(',2026-12-05T10:00:01.000Z,session-a,111******,join.attempt,server,tina@example.com,"{""address""');
    expect(lines[2]).toContain('""name"":""Tina, \\""IT\\""""');

    const jsonl = await cli(['audit', 'export', '--db', url, '--from', '2026-12-06T00:00:00Z', '--format', 'jsonl']);
    expect(jsonl.code).toBe(0);
    const records = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; type: string; fields: object });
    expect(records.map((r) => [r.seq, r.type])).toEqual([
      [3, 'session.created'],
      [4, 'join.attempt'],
      [5, 'clipboard.sent'],
    ]);
    expect(records[2].fields).toEqual({ size: 9 });

    const bad = await cli(['audit', 'export', '--db', url, '--from', 'yesterday']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not an ISO 8601 time: yesterday/);
  });

  it('shows a technician only the sessions they joined; an admin sees all', async () => {
    const store = openStore(await sampleLog());
    const read = async (technicianEmail?: string) => {
      let out = '';
      for await (const chunk of exportAudit(store, { format: 'jsonl', technicianEmail })) out += chunk;
      return out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { seq: number }).seq);
    };
    expect(await read('tom@example.com')).toEqual([3, 4, 5]);
    expect(await read('tina@example.com')).toEqual([1, 2]);
    expect(await read('nobody@example.com')).toEqual([]);
    expect(await read()).toEqual([1, 2, 3, 4, 5]);
    await store.close();
  });
});

describe('the server command', { timeout: 180_000 }, () => {
  it('records into an SQLite file in $XDG_DATA_HOME/peerdesk by default, and nothing with --audit-db off', async () => {
    const dataHome = mkdtempSync(join(tmpdir(), 'peerdesk-xdg-'));
    const server = await SignalingProcess.start([], { XDG_DATA_HOME: dataHome });
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    await host.next('host.opened');
    await server.close(); // SIGTERM: the trail is flushed before exit
    host.close();
    const file = join(dataHome, 'peerdesk', 'audit.sqlite');
    const verify = await cli(['audit', 'verify'], { XDG_DATA_HOME: dataHome });
    expect(verify).toMatchObject({ code: 0, stdout: 'audit log intact: 2 records (seq 1–2)\n' });
    const store = openStore(`sqlite:${file}`);
    expect((await allRecords(store)).map((r) => r.type)).toEqual(['session.created', 'session.ended']);
    await store.close();

    const offHome = mkdtempSync(join(tmpdir(), 'peerdesk-xdg-'));
    const off = await SignalingProcess.start(['--audit-db', 'off'], { XDG_DATA_HOME: offHome });
    await off.close();
    expect(existsSync(join(offHome, 'peerdesk'))).toBe(false);
  });

  it('purges records past --audit-retention-days and leaves a log that verifies', async () => {
    const url = await freshAuditUrl('sqlite');
    const store = openStore(url);
    const old = Date.now() - 40 * DAY;
    await store.append([1, 2, 3].map((size) => ({ at: old, reportedBy: 'host', event: { type: 'clipboard.sent', size } }) as AuditEntry));
    await store.append([{ at: Date.now(), reportedBy: 'host', event: { type: 'clipboard.sent', size: 4 } }]);
    const server = await SignalingProcess.start(['--audit-db', url, '--audit-retention-days', '30']);
    await vi.waitFor(async () => expect((await allRecords(store)).map((r) => r.seq)).toEqual([4]), { timeout: 10_000 });
    await server.close();
    await store.close();
    expect(await cli(['audit', 'verify', '--db', url])).toMatchObject({ code: 0, stdout: 'audit log intact: 1 records (seq 4–4)\n' });
  });
});
