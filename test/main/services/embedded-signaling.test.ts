import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_AUDIT_FILE, embeddedSignalingOptions } from '../../../main/services/embedded-signaling';
import { verifyChain } from '../../../signaling/audit/verify';
import { startSignalingServer } from '../../../signaling/server';
import { allRecords, openStore } from '../../signaling/audit/audit-db';
import { TestClient } from '../../support/signaling-client';

describe("the desktop app's embedded LAN signaling server", () => {
  it('keeps an audit trail by default, in an SQLite file in the app data directory, that verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'peerdesk-userdata-'));
    const options = embeddedSignalingOptions({ dataDir, port: 0, staticDir: 'dist/renderer', publicUrl: 'http://192.168.1.20:8787' });
    expect(options).toMatchObject({ host: '0.0.0.0', auditDb: `sqlite:${join(dataDir, EMBEDDED_AUDIT_FILE)}` });
    // As main.ts starts it, but on loopback only (tests never listen on other interfaces).
    const server = await startSignalingServer({ ...options, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect(opened.inviteUrl).toContain('http://192.168.1.20:8787');
    // Quitting the app with a session open: the server ends it, records that, and flushes the trail.
    await server.close();
    host.close();

    expect(existsSync(join(dataDir, EMBEDDED_AUDIT_FILE))).toBe(true);
    const store = openStore(`sqlite:${join(dataDir, EMBEDDED_AUDIT_FILE)}`);
    const records = await allRecords(store);
    expect(records.map((r) => [r.type, JSON.parse(r.fields).reason])).toEqual([
      ['session.created', undefined],
      ['session.ended', 'server-shutdown'],
    ]);
    expect(await verifyChain(store)).toMatchObject({ ok: true, records: 2 });
    await store.close();
  });
});
