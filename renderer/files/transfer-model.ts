import type { FileSink } from './file-sinks';
import type { RateMeter } from './rate-meter';
import type { Sha256Stream } from './sha256-stream';

export type TransferState =
  | 'queued'
  | 'offered' // waiting for the other side's Accept
  | 'incoming' // offered to us: Accept or Decline
  | 'sending'
  | 'receiving'
  | 'verifying'
  | 'done'
  | 'declined'
  | 'cancelled'
  | 'failed';

export interface TransferView {
  id: string;
  direction: 'out' | 'in';
  name: string;
  size: number;
  mime: string;
  state: TransferState;
  bytes: number;
  /** Bytes per second since the Accept (rate-meter.ts); 0 once finished. */
  speed: number;
  /** The same measure over the whole transfer, once done. */
  averageSpeed?: number;
  detail?: string;
  /** Of the bytes sent or received, once verified. */
  sha256?: string;
}

export interface Outgoing extends TransferView {
  direction: 'out';
  n: number;
  file: Blob;
  meter?: RateMeter;
}

export interface Incoming extends TransferView {
  direction: 'in';
  n: number;
  sink?: FileSink;
  /** The SHA-256 of the bytes received so far (in a worker). */
  hash?: Sha256Stream;
  meter?: RateMeter;
  writes: Promise<void>;
  /** The sender's SHA-256, once its `file.done` arrived (the toolkit and files channels are not ordered together). */
  expected?: string;
  stall?: ReturnType<typeof setTimeout>;
}

export const isFinal = (s: TransferState) => s === 'done' || s === 'declined' || s === 'cancelled' || s === 'failed';

/** The fields listeners see, named once; the type makes the list complete (a new view field must be added here). */
const VIEW_FIELDS: { readonly [K in keyof TransferView]-?: true } = {
  id: true,
  direction: true,
  name: true,
  size: true,
  mime: true,
  state: true,
  bytes: true,
  speed: true,
  averageSpeed: true,
  detail: true,
  sha256: true,
};

/** What listeners see: the view fields only (never the file, sink, hash or timers). */
export const viewOf = (t: TransferView): TransferView =>
  Object.fromEntries(Object.keys(VIEW_FIELDS).map((k) => [k, t[k as keyof TransferView]])) as unknown as TransferView;
