/**
 * The input benchmark's observer, in a process of its own (never the one running the host services and robotjs, so
 * its wake-ups and theirs do not share an event loop): one X connection, every window asked for its motion and key
 * events, event-driven (no polling). Asked over IPC to report the first event matching a pattern, it answers with the
 * time the event arrived (epoch ms, the same clock the pages use).
 *   fork('bench/x-input-observer.ts', [display])
 */
import type { XEvent } from 'x11';
import { X11Connection } from '../main/services/input/x11-connection';

export type InputPattern = { kind: 'motion'; x: number; y: number } | { kind: 'key-press' } | { kind: 'key-release' } | { kind: 'rescan' };
export type ObserverRequest = { id: number } & InputPattern;
export type ObserverReply = { id: number; at?: number; error?: string };

const POINTER_MOTION = 0x40;
const KEY_PRESS = 0x01;
const KEY_RELEASE = 0x02;
const now = () => performance.timeOrigin + performance.now();

const conn = await X11Connection.connect(process.argv[2] ?? process.env.DISPLAY!);
let waiting: Array<{ id: number; pattern: InputPattern }> = [];

const matches = (p: InputPattern, ev: XEvent) =>
  (p.kind === 'motion' && ev.name === 'MotionNotify' && Math.abs((ev.rootx ?? -99) - p.x) <= 3 && Math.abs((ev.rooty ?? -99) - p.y) <= 3) ||
  (p.kind === 'key-press' && ev.name === 'KeyPress') ||
  (p.kind === 'key-release' && ev.name === 'KeyRelease');

conn.x.on('event', (ev: XEvent) => {
  const at = now();
  waiting = waiting.filter((w) => !(matches(w.pattern, ev) && (process.send!({ id: w.id, at } satisfies ObserverReply), true)));
});

/** Windows appear and disappear between variants: rescan before measuring. */
async function selectTree(wid: number): Promise<void> {
  conn.x.ChangeWindowAttributes(wid, { eventMask: POINTER_MOTION | KEY_PRESS | KEY_RELEASE });
  const { children } = await conn.call<{ children: number[] }>((cb) => conn.x.QueryTree(wid, cb));
  for (const child of children) await selectTree(child);
}

process.on('message', (req: ObserverRequest) => {
  if (req.kind !== 'rescan') {
    waiting.push({ id: req.id, pattern: req });
    // Registered before the bench causes the event: it waits for this acknowledgement.
    return process.send!({ id: -req.id } satisfies ObserverReply);
  }
  selectTree(conn.root).then(
    () => process.send!({ id: req.id, at: now() } satisfies ObserverReply),
    (err: Error) => process.send!({ id: req.id, error: err.message } satisfies ObserverReply),
  );
});
process.on('disconnect', () => process.exit(0));
await selectTree(conn.root);
process.send!({ id: 0 } satisfies ObserverReply);
