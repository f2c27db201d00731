import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHAT_CHARS } from '../../protocol/toolkit-messages';
import { E2EHarness } from '../support/e2e-harness';
import { watchingSession } from '../support/control-session';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

const messages = (page: Page) =>
  page.$$eval('#chat-list .chat-message', (items) =>
    items.map((li) => [li.querySelector('.chat-meta')!.textContent, li.querySelector('p')!.textContent]),
  );
async function say(page: Page, text: string) {
  if (await page.isHidden('#chat-panel')) await page.click('#toggle-chat');
  await page.fill('#chat-input', text);
  await page.press('#chat-input', 'Enter');
}

describe('chat', () => {
  it('works both ways before any control, with sender, time and an unread badge', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await say(viewer, 'Hi, I can see your screen now.');
    await host.waitForSelector('#chat-unread:not([hidden])');
    expect(await host.textContent('#chat-unread')).toBe('1');
    await say(viewer, 'Can you open the mail app?');
    await host.waitForFunction(() => document.querySelector('#chat-unread')?.textContent === '2');
    await host.click('#toggle-chat');
    expect(await host.isHidden('#chat-unread')).toBe(true);
    const hostSees = await messages(host);
    expect(hostSees.map(([, text]) => text)).toEqual(['Hi, I can see your screen now.', 'Can you open the mail app?']);
    expect(hostSees[0]![0]).toMatch(/^Tina from IT · \d{1,2}:\d{2}/);
    await say(host, 'Sure — one moment.');
    await viewer.waitForFunction(() => document.querySelectorAll('#chat-list .chat-message').length === 3);
    expect((await messages(viewer)).map(([meta, text]) => [meta!.split(' · ')[0], text])).toEqual([
      ['You', 'Hi, I can see your screen now.'],
      ['You', 'Can you open the mail app?'],
      ['Them', 'Sure — one moment.'],
    ]);
    expect(await host.evaluate(() => document.body.dataset.controlState)).not.toBe('granted');
  });

  it('shows markup as text and runs nothing', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await say(viewer, attack);
    await host.click('#toggle-chat');
    await host.waitForSelector('#chat-list .chat-message');
    expect((await messages(host))[0]![1]).toBe(attack);
    expect(await host.$$eval('#chat-list img, #chat-list script', (els) => els.length)).toBe(0);
    expect(await host.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('is length-limited on both ends: the input stops at the limit, and the receiver refuses a longer message', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await viewer.click('#toggle-chat');
    expect(await viewer.getAttribute('#chat-input', 'maxlength')).toBe(String(MAX_CHAT_CHARS));
    // A modified viewer sends past the limit straight on the channel: the host refuses it whole.
    await viewer.evaluate((n) => {
      const toolkit = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.find((c) => c.label === 'toolkit')!;
      toolkit.send(JSON.stringify({ t: 'chat', text: 'x'.repeat(n + 1), sentAt: Date.now() }));
      toolkit.send(JSON.stringify({ t: 'chat', text: 'fits', sentAt: Date.now() }));
    }, MAX_CHAT_CHARS);
    await host.waitForSelector('#chat-unread:not([hidden])');
    expect(await host.textContent('#chat-unread')).toBe('1');
    expect(await host.evaluate(() => document.body.dataset.toolkitRefused)).toBe('1');
  });
});
