import wrtc from '@roamhq/wrtc';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_HEADER_BYTES } from '../../../protocol/toolkit-messages';
import { DESKTOP_WRITE_BYTES, desktopSink } from '../../../renderer/files/file-sinks';
import { messageBytesFor, Pacer, SEND_QUEUE_LIMIT, TRANSFER_PACES, type TransferPaceName } from '../../../renderer/files/transfer-pace';
import { transferPair } from '../../support/transfer-pair';

beforeAll(() => {
  (globalThis as { document?: unknown }).document ??= { body: { dataset: {} } };
});
let close: () => void = () => undefined;
afterEach(() => close());

/**
 * Sends `size` bytes with a setting over real WebRTC (the receiver is the real class too); what each `send` on the
 * files channel carried, and how long from the Accept to the verified end.
 */
async function sendWith(pace: TransferPaceName, size: number, prepare?: (pair: { a: RTCPeerConnection }) => void) {
  const sent: number[] = [];
  const { pair, sender, receiver, received } = await transferPair(({ a }) => {
    prepare?.({ a });
    const create = a.createDataChannel.bind(a);
    a.createDataChannel = (label, init) => {
      const channel = create(label, init);
      const send = channel.send.bind(channel);
      if (label === 'files') channel.send = (data: never) => (sent.push((data as Uint8Array).byteLength), send(data));
      return channel;
    };
  });
  close = pair.close;
  sender.pace = pace;
  sender.send([new File([new Uint8Array(size).fill(7)], 'big.bin')]);
  await expect.poll(() => receiver.views()[0]?.state).toBe('incoming');
  const started = performance.now();
  await receiver.accept(receiver.views()[0]!.id);
  await expect.poll(() => sender.views()[0]?.state, { timeout: 30_000 }).toBe('done');
  return { sent, ms: performance.now() - started, received: received(), maxMessageSize: pair.a.sctp?.maxMessageSize };
}

describe('transfer settings', () => {
  it('fast: messages as large as the connection negotiated (not 16 KiB), every byte verified', async () => {
    const { sent, received, maxMessageSize } = await sendWith('fast', 3 * 1024 * 1024);
    expect(received).toBe(3 * 1024 * 1024);
    const largest = Math.max(...sent);
    expect(largest).toBe(Math.min(TRANSFER_PACES.fast.messageBytes + FILE_CHUNK_HEADER_BYTES, maxMessageSize ?? Infinity));
    expect(largest).toBeGreaterThan(64 * 1024);
  });

  it('smooth (the default), with no video to follow: 64 KiB messages at no more than its fixed rate', async () => {
    const size = 2 * 1024 * 1024;
    const { sent, ms, received } = await sendWith('smooth', size);
    expect(received).toBe(size);
    expect(Math.max(...sent)).toBe(64 * 1024 + FILE_CHUNK_HEADER_BYTES);
    // All but the first burst (100 ms' worth) waits for the pacer; it starts below the fixed rate, then falls back to it.
    const cap = Math.max(TRANSFER_PACES.smooth.bytesPerSecond!, TRANSFER_PACES.smooth.follow!.start);
    expect(ms).toBeGreaterThanOrEqual(((size - cap / 10) / cap) * 1000 * 0.9);
  });

  it('smooth never stalls when the stats fail or never answer: the transfer completes at the fixed rate', async () => {
    const size = 1024 * 1024;
    const failing = await sendWith('smooth', size, ({ a }) => (a.getStats = () => Promise.reject(new Error('gone'))));
    expect(failing.received).toBe(size);
    close();
    const hung = await sendWith('smooth', size, ({ a }) => (a.getStats = () => new Promise<RTCStatsReport>(() => undefined)));
    expect(hung.received).toBe(size);
  }, 30_000);

  it('smooth follows real video stats (libwebrtc encoding a live track) and the file arrives whole', async () => {
    const size = 2 * 1024 * 1024;
    let stop = () => undefined as void;
    try {
      const { received } = await sendWith('smooth', size, ({ a }) => {
        const source = new wrtc.nonstandard.RTCVideoSource();
        const track = source.createTrack();
        a.addTrack(track as unknown as MediaStreamTrack);
        const frame = { width: 64, height: 48, data: new Uint8Array((64 * 48 * 3) / 2) };
        const feeding = setInterval(() => source.onFrame(frame), 33);
        stop = () => (clearInterval(feeding), track.stop());
      });
      expect(received).toBe(size);
    } finally {
      stop();
    }
  }, 30_000);

  it('no setting lets its queue reach the 16 MiB past which Chromium refuses a send ("send queue is full")', () => {
    for (const pace of Object.values(TRANSFER_PACES))
      expect(pace.highWater + messageBytesFor(pace, 262_144, FILE_CHUNK_HEADER_BYTES) + FILE_CHUNK_HEADER_BYTES).toBeLessThan(
        SEND_QUEUE_LIMIT,
      );
  });

  it('a message never exceeds what the connection negotiated', () => {
    expect(messageBytesFor(TRANSFER_PACES.fast, 65_536, 4)).toBe(65_532);
    expect(messageBytesFor(TRANSFER_PACES.fast, undefined, 4)).toBe(65_532);
    expect(messageBytesFor(TRANSFER_PACES.smooth, 262_144, 4)).toBe(65_536);
  });

  it('the pacer keeps the average at its rate after a burst, and without a rate never waits', () => {
    let now = 0;
    const pacer = new Pacer(1000, 500, () => now);
    expect(pacer.take(500)).toBe(0);
    expect(pacer.take(250)).toBe(250);
    now = 1000;
    expect(pacer.take(500)).toBe(0); // 750 tokens came back, capped at the 500 burst, less the 250 owed
    expect(new Pacer(undefined, 0, () => now).take(1e9)).toBe(0);
  });
});

/** The desktop app's file API as main offers it, noting the size of each write the sink hands it. */
function mainRecordingWrites() {
  const writes: number[] = [];
  const api = {
    saveFileBegin: async () => 'token',
    saveFileChunk: async (_t: string, b: Uint8Array) => void writes.push(b.length),
    saveFileFinish: async () => ({ ok: true as const, path: '/x', sha256: '' }),
    saveFileAbort: async () => undefined,
  };
  return { writes, api };
}

describe('desktop sink', () => {
  it('hands main the received bytes in writes of about 1 MiB, not one per chunk, and the rest before the check', async () => {
    const { writes, api } = mainRecordingWrites();
    const sink = await desktopSink(api, 'f', 0);
    for (let i = 0; i < 40; i++) await sink.write(new Uint8Array(64 * 1024));
    expect(writes).toEqual([DESKTOP_WRITE_BYTES, DESKTOP_WRITE_BYTES]);
    await sink.commit('abc');
    expect(writes).toEqual([DESKTOP_WRITE_BYTES, DESKTOP_WRITE_BYTES, 8 * 64 * 1024]);
  });

  it('never hands main more than it accepts in one write, whatever size the messages are (65,532 data bytes each)', async () => {
    const { writes, api } = mainRecordingWrites();
    const sink = await desktopSink(api, 'f', 0);
    for (let i = 0; i < 40; i++) await sink.write(new Uint8Array(65_532));
    await sink.commit('abc');
    // main/adapters/ipc-handlers.ts refuses a write above 1 MiB ("chunk too large"): every write is within it.
    expect(Math.max(...writes)).toBe(DESKTOP_WRITE_BYTES);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(40 * 65_532);
    expect(writes.slice(0, -1).every((n) => n === DESKTOP_WRITE_BYTES)).toBe(true);
  });
});
