import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { grantControl, watchingSession } from '../support/control-session';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

describe('session log and end card', () => {
  it('lists a scripted session’s events in order, exports them, and both end cards say what happened', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    // The technician has the log and a running summary during the session, not only on the end card.
    await viewer.click('#toggle-log');
    await viewer.waitForSelector('#log-panel #log-list li[data-kind="joined"]');
    expect(await viewer.textContent('#log-panel #log-summary')).toMatch(/^So far .* · control for 0 s · 0 files sent, 0 received$/);
    await viewer.click('#toggle-log');
    await grantControl(harness, viewer);
    await host.click('#revoke-control');
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'revoked');
    const file = join(mkdtempSync(join(tmpdir(), 'peerdesk-log-')), 'notes.txt');
    writeFileSync(file, 'printer queue cleared\n');
    await viewer.click('#toggle-files');
    await viewer.setInputFiles('#file-input', file);
    await host.waitForSelector('#transfer-list li[data-state="incoming"]');
    await host.click('#transfer-list [data-action="accept"]');
    await viewer.waitForSelector('#transfer-list li[data-state="done"]');
    await host.click('#stop-sharing');
    await host.waitForSelector('#end-summary');

    const kinds = await host.$$eval('#log-list li', (items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds).toEqual(['joined', 'source', 'control', 'control', 'control', 'file-received', 'ended']);
    const texts = await host.$$eval('#log-list li', (items) => items.map((li) => li.textContent ?? ''));
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(texts[2]).toContain('Control requested');
    expect(texts[3]).toContain('Control granted');
    expect(texts[4]).toContain('Control taken back');
    expect(texts[5]).toContain(`Received notes.txt (22 bytes, SHA-256 ${sha})`);
    expect(await host.textContent('#end-summary')).toMatch(/^Lasted .* · control for .* · 0 files sent, 1 received$/);

    const download = host.waitForEvent('download');
    await host.click('#export-jsonl');
    const lines = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The same summary the text export ends with, as the last line.
    expect(lines.map((l) => l.event)).toEqual([...kinds, 'summary']);
    expect(lines.at(-1)).toMatchObject({ event: 'summary', filesSent: 0, filesReceived: 1 });
    expect(lines.at(-1).controlMs).toBeGreaterThan(0);
    expect(lines[5]).toMatchObject({ event: 'file-received', name: 'notes.txt', sha256: sha });
    const text = host.waitForEvent('download');
    await host.click('#export-text');
    expect(readFileSync(await (await text).path(), 'utf8')).toMatch(/Duration .* · files sent 0, received 1/);

    await viewer.waitForSelector('#end-summary');
    expect(await viewer.textContent('#end-summary')).toMatch(/· 1 file sent, 0 received$/);
  });

  it('a browser host’s log says who joined before what was shared, in time order (the join is recorded at Allow)', async () => {
    const host = await harness.hostPage('screen', false);
    const viewer = await harness.viewerPage();
    await E2EHarness.requestToJoin(host, viewer);
    await host.click('#allow-view');
    await host.waitForSelector('#toggle-log');
    await host.waitForFunction(() => document.querySelectorAll('#log-list li').length >= 2);
    const kinds = await host.$$eval('#log-list li', (items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds.slice(0, 2)).toEqual(['joined', 'source']);
  });
});
