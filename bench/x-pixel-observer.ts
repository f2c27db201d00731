/**
 * The glass-to-glass observer, in a process of its own (not the bench's, not the host services'): one X connection per
 * display, told by the X server's DAMAGE extension when anything is drawn (event-driven, no polling loop), then one
 * 1×1 GetImage to read the probed pixel. A reading is timed by the arrival of the damage event that preceded it, so
 * the resolution is the observer's wake-up (well under 1 ms when idle), not a polling period.
 *   fork('bench/x-pixel-observer.ts', [hostDisplay, viewerDisplay])
 * Asked to `arm`, it reports when the host display's pixel turns the target colour (flip) and when the viewer
 * display's pixel does (shown). Asked to `frames`, it counts the viewer display's redraws inside a rectangle for a
 * while and reports the longest gap between two of them (a freeze, as the person watching sees it).
 */
import type { XEvent } from 'x11';
import { X11Connection } from '../main/services/input/x11-connection';

export type Point = { x: number; y: number };
export type Rect = Point & { w: number; h: number };
export type PixelRequest =
  /** `host: null`: only the viewer display is watched (the start is timed elsewhere, e.g. by a page event). */
  | { id: number; kind: 'arm'; host: Point | null; viewer: Point; rgb: [number, number, number]; timeoutMs: number }
  | { id: number; kind: 'frames'; viewer: Rect; ms: number };
export type PixelReply = { id: number; flipAt?: number; shownAt?: number; frames?: number; longestGapMs?: number; error?: string };

const Z_PIXMAP = 2;
const now = () => performance.timeOrigin + performance.now();
const inside = (p: Point, a: { x: number; y: number; w: number; h: number }) =>
  p.x >= a.x && p.x < a.x + a.w && p.y >= a.y && p.y < a.y + a.h;
const overlaps = (r: Rect, a: Rect) => a.x < r.x + r.w && r.x < a.x + a.w && a.y < r.y + r.h && r.y < a.y + a.h;
/** Encoders blur colour edges and shift hues a little: a pixel "is" the target within this distance per channel. */
const near = (bgrx: Buffer, rgb: number[]) =>
  Math.abs(bgrx[2] - rgb[0]) < 60 && Math.abs(bgrx[1] - rgb[1]) < 60 && Math.abs(bgrx[0] - rgb[2]) < 60;

type Side = 'host' | 'viewer';
interface Armed {
  id: number;
  at: Record<Side, Point | null>;
  rgb: number[];
  seen: Partial<Record<Side, number>>;
  timer: NodeJS.Timeout;
}
interface Counting {
  rect: Rect;
  times: number[];
}

let armed: Armed | undefined;
let counting: Counting | undefined;

async function watch(side: Side, display: string): Promise<void> {
  const conn = await X11Connection.connect(display);
  const damage = await conn.call<import('x11').XDamage>((cb) => conn.x.require('damage', cb));
  damage.Create(conn.x.AllocID(), conn.root, damage.ReportLevel.RawRectangles);
  conn.x.on('event', (ev: XEvent) => {
    if (ev.name !== 'DamageNotify' || !ev.area) return;
    const at = now();
    if (side === 'viewer' && counting && overlaps(counting.rect, ev.area)) counting.times.push(at);
    const a = armed;
    const point = a?.at[side];
    if (!a || !point || a.seen[side] || !inside(point, ev.area)) return;
    const { x, y } = point;
    conn.x.GetImage(Z_PIXMAP, conn.root, x, y, 1, 1, 0xffffffff, (err, img) => {
      if (err || armed !== a || a.seen[side] || !near(img.data, a.rgb)) return;
      a.seen[side] = at;
      if ((a.seen.host || !a.at.host) && a.seen.viewer) settle({ id: a.id, flipAt: a.seen.host, shownAt: a.seen.viewer });
    });
  });
}

function settle(reply: PixelReply): void {
  if (armed) clearTimeout(armed.timer);
  armed = undefined;
  process.send!(reply);
}

/** One paint touches several rectangles: events closer than this are one redraw. */
const SAME_PAINT_MS = 4;

/** Redraws in the window, and the longest stretch without one (the window's start and end count as edges). */
function countFrames(times: number[], start: number, end: number): { frames: number; longestGapMs: number } {
  const paints = times.filter((t, i) => i === 0 || t - times[i - 1] > SAME_PAINT_MS);
  const edges = [start, ...paints, end];
  let longest = 0;
  for (let i = 1; i < edges.length; i++) longest = Math.max(longest, edges[i] - edges[i - 1]);
  return { frames: paints.length, longestGapMs: longest };
}

process.on('message', (req: PixelRequest) => {
  if (req.kind === 'arm') {
    const timer = setTimeout(() => armed?.id === req.id && settle({ id: req.id, flipAt: armed.seen.host, error: 'missed' }), req.timeoutMs);
    armed = { id: req.id, at: { host: req.host, viewer: req.viewer }, rgb: req.rgb, seen: {}, timer };
    return process.send!({ id: -req.id } satisfies PixelReply); // armed: the bench may flip now
  }
  const c: Counting = { rect: req.viewer, times: [] };
  const start = now();
  counting = c;
  setTimeout(() => {
    counting = undefined;
    process.send!({ id: req.id, ...countFrames(c.times, start, now()) } satisfies PixelReply);
  }, req.ms);
});
process.on('disconnect', () => process.exit(0));
await Promise.all([watch('host', process.argv[2]), watch('viewer', process.argv[3])]);
process.send!({ id: 0 } satisfies PixelReply);
