import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';

/**
 * The file every test offers. Larger than Chromium's 16 MiB data-channel send queue, so a sender that ignored its
 * backpressure would overflow it (the send throws) and fail the transfer; 50 MiB, as before, proved nothing more and
 * took twice as long. Throughput is the file-transfer benchmark's; flat memory for big files is
 * test/renderer/files/transfer-memory.test.ts's (160 MiB).
 */
const FILE_MIB = 24;
const FILE_BYTES = FILE_MIB * 1024 * 1024;

let harness: E2EHarness;
let bigFile: { path: string; sha256: string };
beforeAll(async () => {
  harness = await E2EHarness.start();
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-send-'));
  const data = randomBytes(FILE_BYTES);
  bigFile = { path: join(dir, 'disk-image.bin'), sha256: sha256(data) };
  writeFileSync(bigFile.path, data);
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

// Hashes are computed here, by the test, from the bytes on disk — never taken from the code under test.
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const item = (page: Page, direction: 'in' | 'out') => page.locator(`#transfer-list li[data-direction="${direction}"]`).last();
const stateOf = (page: Page, direction: 'in' | 'out') => item(page, direction).getAttribute('data-state');
async function sendFrom(page: Page, path: string) {
  if (await page.isHidden('#files-panel')) await page.click('#toggle-files');
  await page.setInputFiles('#file-input', path);
}
/** Progress as the page shows it, sampled until the transfer ends. */
async function progressSeen(page: Page, direction: 'in' | 'out'): Promise<number[]> {
  const seen: number[] = [];
  for (;;) {
    const [state, bytes] = [await stateOf(page, direction), Number(await item(page, direction).getAttribute('data-bytes'))];
    if (seen.at(-1) !== bytes) seen.push(bytes);
    if (state === 'done' || state === 'failed' || state === 'cancelled') return seen;
    await page.waitForTimeout(50); // sampling a progress display: there is no event to await from outside the page
  }
}

/** The receiver accepts the offer and waits until more than 5 MiB have arrived: a transfer well under way. */
async function acceptAndReceiveSome(receiver: Page) {
  await receiver.waitForSelector('#transfer-list li[data-state="incoming"]');
  await item(receiver, 'in').locator('[data-action="accept"]').click();
  await receiver.waitForFunction(
    () => Number(document.querySelector('#transfer-list li[data-direction="in"]')?.getAttribute('data-bytes')) > 5 * 1024 * 1024,
  );
}

describe('file transfer', () => {
  it('viewer → host: 24 MiB arrive byte-identical in the host’s download folder, with progress on both ends', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    // The default setting paces by the video's frame rate (transfer-pace.ts): the whole file goes unpaced; the cancel
    // tests below send with the default.
    if (await viewer.isHidden('#files-panel')) await viewer.click('#toggle-files');
    await viewer.selectOption('#transfer-pace', 'fast');
    await sendFrom(viewer, bigFile.path);
    await host.waitForSelector('#transfer-list li[data-state="incoming"]');
    expect(await item(host, 'in').textContent()).toContain('disk-image.bin');
    expect(await item(host, 'in').textContent()).toContain(`${FILE_MIB}.0 MiB`);
    expect(await stateOf(viewer, 'out')).toBe('offered');
    // The SHA-256 runs off each page's main thread: both ends start a hashing worker for this transfer.
    const hashWorker = (page: Page) => page.waitForEvent('worker', { predicate: (w) => w.url().endsWith('/hash-worker.js') });
    const workers = Promise.all([hashWorker(host), hashWorker(viewer)]);
    await item(host, 'in').locator('[data-action="accept"]').click();
    await workers;
    const [hostProgress, viewerProgress] = await Promise.all([progressSeen(host, 'in'), progressSeen(viewer, 'out')]);
    expect(await stateOf(host, 'in')).toBe('done');
    expect(await stateOf(viewer, 'out')).toBe('done');
    expect(hostProgress.filter((b) => b > 0 && b < FILE_BYTES).length).toBeGreaterThan(1);
    expect(viewerProgress.filter((b) => b > 0 && b < FILE_BYTES).length).toBeGreaterThan(1);
    expect(readdirSync(harness.downloadDir)).toEqual(['disk-image.bin']);
    expect(sha256(readFileSync(join(harness.downloadDir, 'disk-image.bin')))).toBe(bigFile.sha256);
    expect(await item(viewer, 'out').textContent()).toContain('Delivered and verified');
    // The host's append-only audit trail has it too, with the hash of what was saved.
    expect(harness.services.audit.read().find((e) => e.event === 'file.received')?.file).toEqual({
      name: 'disk-image.bin',
      size: FILE_BYTES,
      sha256: bigFile.sha256,
    });
  }, 180_000); // 50 MiB through both pages on a loaded 2-core machine took 61–72 s; 24 MiB about half

  it('host → viewer, "As fast as possible": 24 MiB arrive byte-identical through the browser’s download', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    // This setting fills the sender's queue as the receiver lags: it must stay below Chromium's 16 MiB, beyond
    // which a send throws ("send queue is full") and the transfer failed.
    if (await host.isHidden('#files-panel')) await host.click('#toggle-files');
    await host.selectOption('#transfer-pace', 'fast');
    await sendFrom(host, bigFile.path);
    await viewer.waitForSelector('#transfer-list li[data-state="incoming"]');
    const download = viewer.waitForEvent('download', { timeout: 120_000 });
    await item(viewer, 'in').locator('[data-action="accept"]').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('disk-image.bin');
    expect(sha256(readFileSync(await saved.path()))).toBe(bigFile.sha256);
    await expect.poll(() => stateOf(host, 'out')).toBe('done');
  }, 180_000); // 50 MiB through both pages on a loaded 2-core machine took 61–72 s; 24 MiB about half

  it('Decline sends nothing', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await sendFrom(viewer, bigFile.path);
    await host.waitForSelector('#transfer-list li[data-state="incoming"]');
    await item(host, 'in').locator('[data-action="decline"]').click();
    await expect.poll(() => stateOf(viewer, 'out')).toBe('declined');
    expect(await item(viewer, 'out').getAttribute('data-bytes')).toBe('0');
    expect(await item(viewer, 'out').textContent()).toContain('nothing was sent');
    expect(readdirSync(harness.downloadDir)).toEqual([]);
  });

  it('cancel midway from the receiver leaves no file, partial or complete', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await sendFrom(viewer, bigFile.path);
    await acceptAndReceiveSome(host);
    // The row updates in place while bytes arrive: the Cancel button under the pointer stays the same element
    // (a row rebuilt on each progress tick swapped it out, and a click could land on a button already gone).
    const cancel = await item(host, 'in').locator('[data-action="cancel"]').elementHandle();
    const bytesNow = Number(await item(host, 'in').getAttribute('data-bytes'));
    await host.waitForFunction(
      (before) => Number(document.querySelector('#transfer-list li[data-direction="in"]')?.getAttribute('data-bytes')) > before,
      bytesNow,
    );
    // Clicked inside the page in the same task as the check: Playwright's click first waits for the button to be
    // stable, and on a loaded machine the transfer finished meanwhile (its Cancel gone: "not attached").
    expect(await cancel!.evaluate((button: HTMLButtonElement) => (button.isConnected ? (button.click(), true) : false))).toBe(true);
    // Generous waits: on a loaded machine the pages and the file service lag by seconds (seen: 62 s, before this
    // branch too); each is still bounded.
    await expect.poll(() => stateOf(viewer, 'out'), { timeout: 15_000 }).toBe('cancelled');
    expect(await stateOf(host, 'in')).toBe('cancelled');
    await expect.poll(() => readdirSync(harness.downloadDir), { timeout: 15_000 }).toEqual([]);
  }, 120_000);

  it('leaving the session midway cancels, and the host’s partial file is deleted', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await sendFrom(viewer, bigFile.path);
    await acceptAndReceiveSome(host);
    expect(readdirSync(harness.downloadDir)).toHaveLength(1); // the partial file
    await viewer.click('#leave');
    await expect.poll(() => readdirSync(harness.downloadDir), { timeout: 15_000 }).toEqual([]);
  }, 120_000);

  it('a tampered chunk is detected: reported on both ends, nothing saved; raw names are sanitized', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await viewer.click('#toggle-files');
    // A modified sender speaks the protocol itself: one honest file with a hostile name, one with a flipped byte.
    const send = (name: string, n: number, tamper: boolean) =>
      viewer.evaluate(
        async ({ name, n, tamper }) => {
          const channels = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels;
          const toolkit = channels.find((c) => c.label === 'toolkit')!;
          const files = channels.find((c) => c.label === 'files')!;
          const data = new Uint8Array(200_000);
          for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
          const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map((b) => b.toString(16).padStart(2, '0')).join('');
          const id = `tamper${n}x${Date.now()}`;
          const accepted = new Promise<void>((resolve) =>
            toolkit.addEventListener('message', (e) => JSON.parse(e.data).t === 'file.accept' && JSON.parse(e.data).id === id && resolve()),
          );
          toolkit.send(JSON.stringify({ t: 'file.offer', id, n, name, size: data.length, mime: 'application/octet-stream' }));
          await accepted;
          if (tamper) data[123_456] ^= 0xff;
          for (let at = 0; at < data.length; at += 65536) {
            const chunk = data.subarray(at, at + 65536);
            const frame = new Uint8Array(4 + chunk.length);
            new DataView(frame.buffer).setUint32(0, n);
            frame.set(chunk, 4);
            files.send(frame);
          }
          toolkit.send(JSON.stringify({ t: 'file.done', id, sha256: hex }));
        },
        { name, n, tamper },
      );
    const acceptNext = async () => {
      await host.waitForSelector('#transfer-list li[data-state="incoming"]');
      await host.locator('#transfer-list li[data-state="incoming"] [data-action="accept"]').click();
    };
    await Promise.all([send('../../etc/passwd', 1000, false), acceptNext()]);
    await expect.poll(() => readdirSync(harness.downloadDir)).toEqual(['passwd']);
    await Promise.all([send('payroll.xlsx', 1001, true), acceptNext()]);
    await expect.poll(() => host.locator('#transfer-list li[data-state="failed"]').count()).toBe(1);
    expect(await host.locator('#transfer-list li[data-state="failed"]').textContent()).toContain('Corrupted on the way');
    expect(readdirSync(harness.downloadDir)).toEqual(['passwd']);
  });

  it('names that lie: a disguised file name and a chat with direction tricks are shown through the display rule', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await viewer.click('#toggle-files');
    // A modified sender: `invoice‮fdp.exe` reads as "invoiceexe.pdf" when shown raw; the chat rings a bell and
    // reverses its sender's words.
    const disguised = 'invoice\u202efdp.exe';
    await viewer.evaluate((name) => {
      const channels = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels;
      const toolkit = channels.find((c) => c.label === 'toolkit')!;
      toolkit.send(JSON.stringify({ t: 'file.offer', id: `lie${Date.now()}`, n: 2000, name, size: 1234, mime: 'application/pdf\u200b' }));
      toolkit.send(JSON.stringify({ t: 'chat', text: 'open the\u0007 \u202eFDP\u202c file\u3164', sentAt: Date.now() }));
    }, disguised);
    const offer = host.locator('#transfer-list li[data-state="incoming"]');
    await offer.waitFor();
    const shown = (await offer.textContent()) ?? '';
    expect(shown).toContain('invoicefdp.exe');
    expect(shown).toContain('real type: .exe');
    expect(shown).not.toMatch(/[\u202e\u200b]/);
    await host.waitForSelector('#chat-list .chat-message.theirs', { state: 'attached' });
    expect(await host.locator('#chat-list .chat-message.theirs p').textContent()).toBe('open the FDP file');
    // What the page lays out, not only the DOM text: the line with the name reads left to right as it is stored.
    const rendered = await host.locator('#transfer-list li[data-state="incoming"] .transfer-name strong').innerText();
    expect(rendered).toBe('invoicefdp.exe');
    await offer.locator('[data-action="decline"]').click();
    expect(readdirSync(harness.downloadDir)).toEqual([]);
  });
});
