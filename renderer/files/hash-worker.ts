import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { HashRequest } from './sha256-stream';

/**
 * The SHA-256 of one transfer, off the page's main thread (built to `hash-worker.js`, see sha256-stream.ts): the
 * page posts the bytes in order and asks for the digest once; messages arrive in the order they were posted.
 */
const hash = sha256.create();
self.onmessage = (e: MessageEvent<HashRequest>) => {
  if (e.data.op === 'update') hash.update(e.data.bytes);
  else self.postMessage(bytesToHex(hash.digest()));
};
