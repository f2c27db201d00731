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
    expect(lines.map((l) => l.event)).toEqual(kinds);
    expect(lines[5]).toMatchObject({ event: 'file-received', name: 'notes.txt', sha256: sha });
    const text = host.waitForEvent('download');
    await host.click('#export-text');
    expect(readFileSync(await (await text).path(), 'utf8')).toMatch(/Duration .* · files sent 0, received 1/);

    await viewer.waitForSelector('#end-summary');
    expect(await viewer.textContent('#end-summary')).toMatch(/· 1 file sent, 0 received$/);
  });
});
