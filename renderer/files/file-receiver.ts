import { ERROR_MESSAGES } from '../../protocol/error-messages';
import { FileErrorCode } from '../../protocol/error-codes';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { count } from '../format';
import type { Incoming, TransferState } from './transfer-model';

/** After `file.done`, chunks still in flight on the files channel may take this long to stop arriving. */
const STALL_MS = 30_000;

/** What the receiving side needs from the transfers it belongs to. */
export interface ReceiverContext {
  toolkit: ToolkitChannel;
  changed(): void;
  changedSoon(): void;
  stop(t: Incoming, state: TransferState, detail: string): void;
  finish(t: Incoming, state: TransferState, detail?: string): void;
}

/** One chunk of an accepted transfer: hashed, written in order, and checked once all announced bytes are in. */
export function takeChunk(t: Incoming, bytes: Uint8Array, ctx: ReceiverContext): void {
  if (t.state !== 'receiving' || !t.sink || !t.hash) return; // leftovers of a cancelled transfer
  if (t.bytes + bytes.length > t.size) {
    ctx.toolkit.send({ t: 'file.cancel', id: t.id });
    return ctx.stop(t, 'failed', 'More data arrived than was announced.');
  }
  t.hash.update(bytes);
  t.bytes += bytes.length;
  if (t.meter) t.speed = t.meter.rate(t.bytes);
  if (t.bytes === t.size && t.meter) t.averageSpeed = t.meter.rate(t.size);
  const sink = t.sink;
  t.writes = t.writes.then(() => sink.write(bytes));
  ctx.changedSoon();
  if (t.expected !== undefined) {
    if (t.bytes === t.size) void verify(t, ctx);
    else t.stall?.refresh();
  }
}

/**
 * The sender is done. Its last chunks may still be on their way (another channel, no ordering between the two),
 * so the check waits for all announced bytes — unless they stop coming, which is a truncated transfer.
 */
export function doneAnnounced(t: Incoming, sha256Hex: string, ctx: ReceiverContext): void {
  if (t.state !== 'receiving' || t.expected !== undefined) return;
  t.expected = sha256Hex;
  if (t.bytes === t.size) return void verify(t, ctx);
  t.stall = setTimeout(() => void verify(t, ctx), STALL_MS);
}

async function verify(t: Incoming, ctx: ReceiverContext): Promise<void> {
  clearTimeout(t.stall);
  const { id, expected } = t;
  if (t.state !== 'receiving' || !t.sink || !t.hash || expected === undefined) return;
  t.state = 'verifying';
  ctx.changed();
  let verdict: { ok: true; where: string } | { ok: false; reason: string };
  try {
    await t.writes;
    const actual = await t.hash.digest();
    if (t.bytes !== t.size)
      verdict = { ok: false, reason: `${ERROR_MESSAGES[FileErrorCode.Truncated]} (${t.bytes} of ${count(t.size, 'byte')})` };
    else if (actual !== expected) verdict = { ok: false, reason: ERROR_MESSAGES[FileErrorCode.HashMismatch] };
    else verdict = await t.sink.commit(expected);
  } catch (err) {
    verdict = { ok: false, reason: (err as Error).message };
  }
  if (t.state !== 'verifying') return; // cancelled meanwhile: stop() threw the partial file away and said so
  if (!verdict.ok) await t.sink.abort().catch(() => undefined);
  ctx.toolkit.send({ t: 'file.result', id, ok: verdict.ok, ...(verdict.ok ? {} : { reason: verdict.reason.slice(0, 200) }) });
  if (verdict.ok) t.sha256 = expected;
  ctx.finish(t, verdict.ok ? 'done' : 'failed', verdict.ok ? `Saved to ${verdict.where}. SHA-256 ${expected}` : verdict.reason);
}
