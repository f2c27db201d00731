import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_HEADER_BYTES, FILES_CHANNEL_ID } from '../../../protocol/toolkit-messages';
import type { FileSink } from '../../../renderer/files/file-sinks';
import { FileTransfers, type TransferView } from '../../../renderer/files/file-transfers';
import { ToolkitChannel } from '../../../renderer/net/toolkit-channel';
import { channelOpen, wrtcPair } from '../../support/wrtc-pair';

// FileTransfers on a real WebRTC connection. The receiver is the real class; the sender is either the real class
// too, or raw channels that say whatever a hostile or broken sender would (a wrong SHA-256, too many bytes).

beforeAll(() => {
  (globalThis as { document?: unknown }).document ??= { body: { dataset: {} } };
});

let close: () => void = () => undefined;
afterEach(() => close());

/** A sink that records what happened to the bytes: committed (with the hash) or thrown away. */
function recordingSink() {
  const sink = {
    bytes: [] as number[],
    committed: undefined as string | undefined,
    aborted: false,
    async write(b: Uint8Array) {
      sink.bytes.push(...b);
    },
    async commit(hash: string) {
      sink.committed = hash;
      return { ok: true as const, where: 'Downloads' };
    },
    async abort() {
      sink.aborted = true;
    },
  } satisfies FileSink & Record<string, unknown>;
  return sink;
}

async function receiverWithRawSender() {
  const pair = wrtcPair();
  close = pair.close;
  const sink = recordingSink();
  const receiver = new FileTransfers({
    toolkit: new ToolkitChannel(pair.b),
    pc: pair.b,
    sinkFor: async () => sink,
    maxBytes: 1024 * 1024,
  });
  const senderToolkit = new ToolkitChannel(pair.a);
  const files = channelOpen(pair.a, FILES_CHANNEL_ID);
  await pair.connect();
  const filesChannel = await files;
  await expect.poll(() => senderToolkit.open).toBe(true);
  let views: TransferView[] = [];
  receiver.onChange((v) => (views = v));
  const accepted = new Promise<void>((resolve) => senderToolkit.on((m) => m.t === 'file.accept' && resolve()));
  /** Offers `size` bytes, accepts on the receiver's side, and sends `content` in one chunk with the given hash. */
  const transfer = async (content: Uint8Array, announcedHash: string, size = content.length) => {
    senderToolkit.send({ t: 'file.offer', id: 'a1b2c3d4', n: 0, name: 'report.pdf', size, mime: 'application/pdf' });
    await expect.poll(() => views.find((v) => v.id === 'a1b2c3d4')?.state).toBe('incoming');
    await receiver.accept('a1b2c3d4');
    await accepted;
    const frame = new Uint8Array(FILE_CHUNK_HEADER_BYTES + content.length);
    frame.set(content, FILE_CHUNK_HEADER_BYTES);
    filesChannel.send(frame);
    senderToolkit.send({ t: 'file.done', id: 'a1b2c3d4', sha256: announcedHash });
  };
  const finalState = () =>
    expect.poll(() => views[0]?.state, { timeout: 10_000 }).toSatisfy((s) => s === 'done' || s === 'failed' || s === 'cancelled');
  return { transfer, sink, views: () => views, finalState };
}

const content = new TextEncoder().encode('%PDF-1.7 quarterly numbers');

describe('FileTransfers: a received file is saved only when its SHA-256 matches the sender’s', () => {
  it('matching hash: committed with it, and the view shows it', async () => {
    const { transfer, sink, views, finalState } = await receiverWithRawSender();
    await transfer(content, bytesToHex(sha256(content)));
    await finalState();
    expect(views()[0]).toMatchObject({ state: 'done', sha256: bytesToHex(sha256(content)) });
    expect(sink.committed).toBe(bytesToHex(sha256(content)));
  });

  it('a different hash: never committed, the partial file thrown away, the transfer failed', async () => {
    const { transfer, sink, views, finalState } = await receiverWithRawSender();
    await transfer(content, 'f'.repeat(64));
    await finalState();
    expect(views()[0]?.state).toBe('failed');
    expect(views()[0]?.detail).toMatch(/SHA-256 mismatch/);
    expect(sink.committed).toBeUndefined();
    expect(sink.aborted).toBe(true);
  });

  it('more bytes than announced: cancelled at once, nothing committed', async () => {
    const { transfer, sink, views, finalState } = await receiverWithRawSender();
    await transfer(content, bytesToHex(sha256(content)), content.length - 1);
    await finalState();
    expect(views()[0]?.detail).toMatch(/More data arrived than was announced/);
    expect(sink.committed).toBeUndefined();
  });
});

describe('FileTransfers: both sides real', () => {
  it('a file offered, accepted and sent arrives whole and verified on the other side', async () => {
    const pair = wrtcPair();
    close = pair.close;
    const sink = recordingSink();
    const senderToolkit = new ToolkitChannel(pair.a);
    const sender = new FileTransfers({ toolkit: senderToolkit, pc: pair.a, sinkFor: async () => sink, maxBytes: 1 << 20 });
    const receiver = new FileTransfers({ toolkit: new ToolkitChannel(pair.b), pc: pair.b, sinkFor: async () => sink, maxBytes: 1 << 20 });
    await pair.connect();
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    await expect.poll(() => senderToolkit.open).toBe(true);
    sender.send([new File([bytes], 'logs.zip', { type: 'application/zip' })]);
    await expect.poll(() => receiver.views()[0]?.state).toBe('incoming');
    await receiver.accept(receiver.views()[0]!.id);
    await expect.poll(() => sender.views()[0]?.state, { timeout: 10_000 }).toBe('done');
    expect(receiver.views()[0]).toMatchObject({ state: 'done', sha256: bytesToHex(sha256(bytes)) });
    expect(sink.bytes).toHaveLength(bytes.length);
  });
});
