import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';
import { waitForVideoColor } from '../support/video-probe';
import { freshAuditUrl } from '../signaling/audit/audit-db';
import { reportedRecords } from '../support/audit-records';

/**
 * What the pages report to the server's audit trail (renderer/session/audit-reporter.ts), end to end: real pages, the
 * real server with its trail on SQLite, every report checked by the server's schema and stored marked by its side.
 */
let harness: E2EHarness;
let auditDb: string;
beforeAll(async () => {
  auditDb = await freshAuditUrl('sqlite');
  harness = await E2EHarness.start({ auditDb });
});
afterEach(async () => {
  harness.joinMonitors();
  await harness.reset();
});
afterAll(() => harness.stop());

const reported = (type: string, count: number, which?: (fields: Record<string, unknown>) => boolean) =>
  reportedRecords(auditDb, type, count, which, 10_000);

async function sendFrom(page: Page, path: string) {
  if (await page.isHidden('#files-panel')) await page.click('#toggle-files');
  await page.setInputFiles('#file-input', path);
}

describe('the audit trail hears from both sides', () => {
  it("a join the host's “Only verified technicians” setting declined is reported by the host", async () => {
    const host = await harness.hostPage('screen', true);
    await host.check('#only-verified');
    const viewer = await harness.viewerPage();
    const { code, pin } = await E2EHarness.sessionCredentials(host);
    await viewer.fill('#join-code', code);
    await viewer.fill('#join-pin', pin);
    await viewer.fill('#join-name', 'Tina from IT');
    await viewer.click('#join-submit');
    await host.waitForFunction(() => document.querySelector('.notice')?.textContent?.includes('declined automatically'));
    expect(await reported('join.refused', 1)).toEqual([{ reportedBy: 'host', fields: { rule: 'not-verified', name: 'Tina from IT' } }]);
  });

  it('a file offered, accepted and completed, each step from each side, with the name through the display rule and the SHA-256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerdesk-audit-send-'));
    // A right-to-left override makes "invoice‮fdp.exe" look like a PDF: the trail stores the name as shown.
    const path = join(dir, 'invoice\u202Efdp.exe');
    const data = Buffer.from('not really an invoice\n');
    writeFileSync(path, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const { host, viewer } = await watchingSession(harness, 'screen');
    await sendFrom(viewer, path);
    await host.waitForSelector('#transfer-list li[data-state="incoming"]');
    await host.locator('#transfer-list li[data-direction="in"] [data-action="accept"]').click();
    await host.waitForSelector('#transfer-list li[data-direction="in"][data-state="done"]');
    await viewer.waitForSelector('#transfer-list li[data-direction="out"][data-state="done"]');

    const files = await reported('file', 6);
    const name = 'invoicefdp.exe';
    const common = { name, size: data.length };
    expect(files).toEqual(
      expect.arrayContaining([
        { reportedBy: 'viewer', fields: { action: 'offered', direction: 'sent', ...common } },
        { reportedBy: 'host', fields: { action: 'offered', direction: 'received', ...common } },
        { reportedBy: 'host', fields: { action: 'accepted', direction: 'received', ...common } },
        { reportedBy: 'viewer', fields: { action: 'accepted', direction: 'sent', ...common } },
        { reportedBy: 'host', fields: { action: 'completed', direction: 'received', ...common, sha256 } },
        { reportedBy: 'viewer', fields: { action: 'completed', direction: 'sent', ...common, sha256 } },
      ]),
    );
    expect(files).toHaveLength(6);
    // The source the host allowed, with its kind.
    expect((await reported('source.switched', 1)).at(-1)).toMatchObject({ reportedBy: 'host', fields: { kind: 'screen' } });
  });

  it('the technician picks another of the host’s screens: the viewer reports the choice, the host the switch it made', async () => {
    harness.splitIntoMonitors(2);
    await harness.openWindow('Left app', '#e00000', '640x800+0+0');
    await harness.openWindow('Right app', '#0000e0', '640x800+640+0');
    const { viewer } = await watchingSession(harness, 'screen');
    await waitForVideoColor(viewer, [224, 0, 0]);
    await viewer.click('#view-menu summary');
    await viewer.waitForSelector('#monitor-label:not([hidden])');
    await viewer.selectOption('#monitor', { label: 'Screen 2' });
    await waitForVideoColor(viewer, [0, 0, 224]);
    expect(await reported('monitor.chosen', 1)).toEqual([{ reportedBy: 'viewer', fields: { index: 1 } }]);
    expect(await reported('source.switched', 1, (f) => f.requestedBy === 'viewer')).toEqual([
      { reportedBy: 'host', fields: { kind: 'screen', label: 'Screen 2', requestedBy: 'viewer' } },
    ]);
  });
});
