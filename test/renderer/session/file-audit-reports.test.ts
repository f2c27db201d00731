import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../../protocol/signaling-messages';
import { FileTransfers } from '../../../renderer/files/file-transfers';
import { ToolkitChannel } from '../../../renderer/net/toolkit-channel';
import { reportToAudit } from '../../../renderer/session/audit-reporter';
import { logFiles } from '../../../renderer/session/log-recorders';
import { SessionLog } from '../../../renderer/session/session-log';
import { wrtcPair } from '../../support/wrtc-pair';

beforeAll(() => {
  (globalThis as { document?: unknown }).document ??= { body: { dataset: {} } };
});
let close: () => void = () => undefined;
afterEach(() => close());

const sink = {
  write: async () => undefined,
  commit: async () => ({ ok: true as const, where: 'Downloads' }),
  abort: async () => undefined,
};

/** One side: real transfers on a real WebRTC connection, its session log, and what it reports to the audit trail. */
function side(pc: RTCPeerConnection) {
  const toolkit = new ToolkitChannel(pc);
  const transfers = new FileTransfers({ toolkit, pc, sinkFor: async () => sink, maxBytes: 1 << 20 });
  const log = new SessionLog();
  const sent: ClientMessage[] = [];
  reportToAudit(log, (m) => sent.push(m));
  logFiles(log, transfers);
  const reports = () => sent.flatMap((m) => (m.type === 'audit.report' ? [m.event] : []));
  return { toolkit, transfers, reports };
}

describe('files in the audit trail', () => {
  it('each side reports offered, accepted and completed once each, the name through the display rule, the SHA-256 at the end', async () => {
    const pair = wrtcPair();
    close = pair.close;
    const sender = side(pair.a);
    const receiver = side(pair.b);
    await pair.connect();
    await expect.poll(() => sender.toolkit.open).toBe(true);
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);
    sender.transfers.send([new File([bytes], 'invoice\u202Efdp.exe')]);
    await expect.poll(() => receiver.transfers.views()[0]?.state).toBe('incoming');
    await receiver.transfers.accept(receiver.transfers.views()[0]!.id);
    await expect.poll(() => sender.transfers.views()[0]?.state, { timeout: 10_000 }).toBe('done');
    const file = { type: 'file', name: 'invoicefdp.exe', size: bytes.length };
    const hash = bytesToHex(sha256(bytes));
    expect(sender.reports()).toEqual([
      { ...file, action: 'offered', direction: 'sent' },
      { ...file, action: 'accepted', direction: 'sent' },
      { ...file, action: 'completed', direction: 'sent', sha256: hash },
    ]);
    expect(receiver.reports()).toEqual([
      { ...file, action: 'offered', direction: 'received' },
      { ...file, action: 'accepted', direction: 'received' },
      { ...file, action: 'completed', direction: 'received', sha256: hash },
    ]);
  });
});
