import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHAT_CHARS, MAX_TOOLKIT_MESSAGE_BYTES, TOOLKIT_CHANNEL_ID, type ToolkitMessage } from '../../../protocol/toolkit-messages';
import { ToolkitChannel } from '../../../renderer/net/toolkit-channel';
import { channelOpen, wrtcPair } from '../../support/wrtc-pair';

// The real channel class on a real WebRTC connection; the other end is a raw data channel with the same id, so a
// test can send what no PeerDesk page would.

beforeAll(() => {
  // ToolkitChannel shows its refusal count on the page (tests read it there); Node has no page.
  (globalThis as { document?: unknown }).document ??= { body: { dataset: {} } };
});

let close: () => void = () => undefined;
afterEach(() => close());

async function connected() {
  const pair = wrtcPair();
  close = pair.close;
  const toolkit = new ToolkitChannel(pair.a);
  const raw = channelOpen(pair.b, TOOLKIT_CHANNEL_ID);
  await pair.connect();
  const peer = await raw;
  const received: ToolkitMessage[] = [];
  toolkit.on((m) => received.push(m));
  const fromToolkit: string[] = [];
  peer.onmessage = (e) => fromToolkit.push(String(e.data));
  /** Sends, then waits until the channel took it in or refused it. */
  const deliver = async (data: string) => {
    const before = received.length + [...toolkit.refused.values()].reduce((a, b) => a + b, 0);
    peer.send(data);
    await expect.poll(() => received.length + [...toolkit.refused.values()].reduce((a, b) => a + b, 0)).toBe(before + 1);
  };
  return { toolkit, peer, received, fromToolkit, deliver };
}
const chat = (text: string) => JSON.stringify({ t: 'chat', text, sentAt: 1 });

describe('ToolkitChannel: every incoming message is checked before any listener sees it', () => {
  it('passes a valid chat message; refuses one over the length cap as a bad message', async () => {
    const { received, toolkit, deliver } = await connected();
    await deliver(chat('x'.repeat(MAX_CHAT_CHARS)));
    expect(received).toHaveLength(1);
    await deliver(chat('x'.repeat(MAX_CHAT_CHARS + 1)));
    expect(received).toHaveLength(1);
    expect(toolkit.refused.get('bad-message')).toBe(1);
  });

  it('refuses what is not JSON, not a known message, or larger than the toolkit bound', async () => {
    const { received, toolkit, deliver } = await connected();
    await deliver('{not json');
    await deliver(JSON.stringify({ t: 'clipboard.policy', enabled: 'yes' }));
    await deliver(JSON.stringify({ t: 'control.grant' }));
    await deliver(' '.repeat(MAX_TOOLKIT_MESSAGE_BYTES + 1));
    expect(received).toEqual([]);
    expect(Object.fromEntries(toolkit.refused)).toEqual({ 'bad-json': 1, 'bad-message': 2, 'too-large-or-binary': 1 });
  });

  it('rate-limits a flood: past the burst, messages are refused, not handled', async () => {
    const { received, toolkit, deliver } = await connected();
    for (let i = 0; i < 30; i++) await deliver(chat(`m${i}`));
    expect(received.length).toBeLessThan(30);
    expect(toolkit.refused.get('rate-limited')).toBe(30 - received.length);
  });

  it('answers a ping with its pong, and probe() hears the other side’s', async () => {
    const { toolkit, peer, fromToolkit, deliver } = await connected();
    await deliver(JSON.stringify({ t: 'ping', n: 41 }));
    await expect.poll(() => fromToolkit).toContain(JSON.stringify({ t: 'pong', n: 41 }));
    peer.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as { t: string; n: number };
      if (m.t === 'ping') peer.send(JSON.stringify({ t: 'pong', n: m.n }));
    };
    expect(await toolkit.probe(2000)).toBe(true);
    peer.onmessage = null;
    expect(await toolkit.probe(100)).toBe(false);
  });
});
