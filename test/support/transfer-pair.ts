import { expect } from 'vitest';
import { FileTransfers } from '../../renderer/files/file-transfers';
import { ToolkitChannel } from '../../renderer/net/toolkit-channel';
import { wrtcPair } from './wrtc-pair';

type Pair = ReturnType<typeof wrtcPair>;

/**
 * A sending and a receiving `FileTransfers` (the real classes) joined over real WebRTC, the receiver writing into a
 * sink that only counts bytes. `beforeChannels` runs before either side creates its channels (a test wrapping
 * `createDataChannel` to see every send). The caller closes `pair`.
 */
export async function transferPair(beforeChannels?: (pair: Pair) => void) {
  const pair = wrtcPair();
  let received = 0;
  const sink = {
    write: async (b: Uint8Array) => void (received += b.length),
    commit: async () => ({ ok: true as const, where: 'x' }),
    abort: async () => {},
  };
  beforeChannels?.(pair);
  const toolkit = new ToolkitChannel(pair.a);
  const sender = new FileTransfers({ toolkit, pc: pair.a, sinkFor: async () => sink, maxBytes: 1 << 30 });
  const receiver = new FileTransfers({ toolkit: new ToolkitChannel(pair.b), pc: pair.b, sinkFor: async () => sink, maxBytes: 1 << 30 });
  await pair.connect();
  await expect.poll(() => toolkit.open).toBe(true);
  return { pair, sender, receiver, received: () => received };
}
