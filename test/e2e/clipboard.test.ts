import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIPBOARD_BYTES } from '../../protocol/toolkit-messages';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

const sendRaw = (page: import('playwright-core').Page, text: string) =>
  page.evaluate((t) => {
    const toolkit = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.find((c) => c.label === 'toolkit')!;
    toolkit.send(JSON.stringify({ t: 'clipboard', text: t }));
  }, text);

describe('clipboard (desktop host)', () => {
  it('is off by default: the viewer has no send button, and text it sends anyway is refused', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await host.waitForSelector('#clipboard-enabled');
    expect(await host.isChecked('#clipboard-enabled')).toBe(false);
    expect(await viewer.isHidden('#send-clipboard')).toBe(true);
    expect(await viewer.textContent('#clipboard-status')).toContain('off');
    await sendRaw(viewer, 'rm -rf ~');
    await host.waitForFunction(() => document.querySelector('#clipboard-status')?.textContent?.includes('refused'));
    expect(harness.hostClipboard).toBe('');
  });

  it('once the host turns it on, text goes both ways with one click, and too much is refused', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await host.check('#clipboard-enabled');
    await viewer.waitForSelector('#send-clipboard:not([hidden])');
    await viewer.evaluate(() => navigator.clipboard.writeText('Ticket #4711 — reset the spooler'));
    await viewer.click('#send-clipboard');
    await expect.poll(() => harness.hostClipboard).toBe('Ticket #4711 — reset the spooler');
    harness.hostClipboard = 'C:\\Windows\\Temp\\setup.log';
    await host.click('#send-clipboard');
    await viewer.waitForFunction(() => document.querySelector('#clipboard-status')?.textContent?.startsWith('Received'));
    expect(await viewer.evaluate(() => navigator.clipboard.readText())).toBe('C:\\Windows\\Temp\\setup.log');
    // A modified viewer sending more than the limit: the host's schema refuses it whole.
    await sendRaw(viewer, 'x'.repeat(MAX_CLIPBOARD_BYTES + 1));
    await host.waitForFunction(() => Number(document.body.dataset.toolkitRefused) >= 1);
    expect(harness.hostClipboard).toBe('C:\\Windows\\Temp\\setup.log');
    await host.click('#toggle-log');
    expect(await host.textContent('#log-list')).toContain('Clipboard text received (32 characters)');
  });

  it('automatically, while on: new text copied on either side arrives without a click and is never sent back', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    harness.hostClipboard = 'already there before';
    await host.check('#clipboard-enabled');
    await viewer.waitForSelector('#clipboard-auto');
    await host.check('#clipboard-auto');
    await viewer.check('#clipboard-auto');
    harness.hostClipboard = 'copied on the host';
    await expect.poll(() => viewer.evaluate(() => navigator.clipboard.readText()), { timeout: 5000 }).toBe('copied on the host');
    await viewer.evaluate(() => navigator.clipboard.writeText('copied by the technician'));
    await expect.poll(() => harness.hostClipboard, { timeout: 5000 }).toBe('copied by the technician');
    await host.click('#toggle-log');
    const log = (await host.textContent('#log-list')) ?? '';
    // What was on the clipboard before "Automatically" stays there; nothing came back as an echo.
    expect(log).not.toContain('(20 characters');
    expect(log.match(/Clipboard text sent \(18 characters, automatically\)/g)).toHaveLength(1);
    expect(log.match(/Clipboard text received/g)).toHaveLength(1);
    // Turning sharing off stops the automatic mode on both sides.
    await host.uncheck('#clipboard-enabled');
    await viewer.waitForSelector('#clipboard-auto', { state: 'hidden' });
    harness.hostClipboard = 'after it was turned off';
    await viewer.evaluate(() => navigator.clipboard.writeText('viewer after off'));
    expect(await host.isChecked('#clipboard-auto')).toBe(false);
  });
});
