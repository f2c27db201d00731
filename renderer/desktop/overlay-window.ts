import type { OverlayMessage } from '../../protocol/annotation-messages';
import type { PeerDeskHostApi } from '../../protocol/host-api';
import { MarkBoard } from '../annotations/mark-board';
import { paintBoard } from '../annotations/mark-painter';
import { h, mount } from '../ui/dom';

/**
 * The desktop app's overlay window (`?window=overlay`): a see-through page whose one canvas covers the whole
 * window, which main lays exactly over the shared screen or window — so the shared surface's 0..1 coordinates
 * are this canvas's. It paints the marks main passes on from the host page (validated there) and reads nothing
 * else: no input reaches it (main makes the window click-through and unfocusable).
 */
export function overlayWindow(root: HTMLElement, api: PeerDeskHostApi | undefined): void {
  document.body.dataset.screen = 'overlay';
  const board = new MarkBoard();
  const canvas = h('canvas', { class: 'overlay-canvas', id: 'overlay-canvas', 'aria-hidden': 'true' });
  mount(root, canvas);
  let frame = 0;
  let wake: ReturnType<typeof setTimeout> | undefined;

  const paint = () => {
    frame = 0;
    const dpr = devicePixelRatio || 1;
    const width = Math.round(innerWidth * dpr);
    const height = Math.round(innerHeight * dpr);
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const now = performance.now();
    paintBoard(ctx, { left: 0, top: 0, width, height }, board, now);
    document.body.dataset.overlayMarks = String(board.size);
    // Paint again when something fades or the laser times out; nothing runs while the board is still.
    const next = board.nextChange(now);
    clearTimeout(wake);
    if (next !== undefined) wake = setTimeout(redraw, Math.max(0, next - now));
  };
  const redraw = () => {
    frame ||= requestAnimationFrame(paint);
  };

  api?.onOverlayMarks?.((message: OverlayMessage) => {
    if (message.t === 'off') board.reset();
    else board.apply(message, performance.now());
    redraw();
  });
  addEventListener('resize', redraw);
  redraw();
}
