import { describe, expect, it } from 'vitest';
import { MarkBoard, markAlpha } from '../../../renderer/annotations/mark-board';
import { contentRect, place } from '../../../renderer/annotations/letterbox';
import { thin } from '../../../renderer/annotations/viewer-annotations';
import { LASER_IDLE_MS, MARK_FADE_MS, MARK_VISIBLE_MS, MAX_MARKS } from '../../../protocol/annotation-messages';

const rect = (id: number, pinned = false) =>
  ({ t: 'mark', id, shape: { kind: 'rect', from: { x: 0, y: 0 }, to: { x: 1, y: 1 } }, color: 'red', pinned }) as const;

describe('MarkBoard', () => {
  it('fades an unpinned mark after a few seconds and keeps a pinned one until clear', () => {
    const board = new MarkBoard();
    board.apply(rect(1), 0);
    board.apply(rect(2, true), 0);
    expect(board.visible(MARK_VISIBLE_MS).map((v) => v.alpha)).toEqual([1, 1]);
    expect(board.visible(MARK_VISIBLE_MS + MARK_FADE_MS / 2).find((v) => v.mark.id === 1)?.alpha).toBeCloseTo(0.5);
    expect(board.visible(MARK_VISIBLE_MS + MARK_FADE_MS + 1).map((v) => v.mark.id)).toEqual([2]);
    expect(board.nextChange(10 * MARK_VISIBLE_MS)).toBeUndefined();
    board.apply({ t: 'clear' }, 0);
    expect(board.size).toBe(0);
    expect(markAlpha({ pinned: true, at: 0 }, 1e9)).toBe(1);
  });

  it('says when the picture next changes: at the fade, every frame while fading, never for pinned marks', () => {
    const board = new MarkBoard();
    board.apply(rect(1, true), 0);
    expect(board.nextChange(10)).toBeUndefined();
    board.apply(rect(2), 100);
    expect(board.nextChange(200)).toBe(100 + MARK_VISIBLE_MS);
    expect(board.nextChange(100 + MARK_VISIBLE_MS + 10)).toBe(100 + MARK_VISIBLE_MS + 10);
    board.apply({ t: 'laser', x: 0, y: 0, color: 'red' }, 50);
    expect(board.nextChange(60)).toBe(50 + LASER_IDLE_MS + 1);
  });

  it('drops the laser when moves stop or the cursor leaves', () => {
    const board = new MarkBoard();
    board.apply({ t: 'laser', x: 0.2, y: 0.3, color: 'green' }, 0);
    expect(board.laserAt(LASER_IDLE_MS)).toMatchObject({ x: 0.2, y: 0.3 });
    expect(board.laserAt(LASER_IDLE_MS + 1)).toBeUndefined();
    board.apply({ t: 'laser', x: 0.2, y: 0.3, color: 'green' }, 0);
    board.apply({ t: 'laser.off' }, 0);
    expect(board.laserAt(0)).toBeUndefined();
  });

  it('holds at most MAX_MARKS, the oldest unpinned going first', () => {
    const board = new MarkBoard();
    board.apply(rect(0, true), 0);
    for (let i = 1; i <= MAX_MARKS + 5; i++) board.apply(rect(i), 0);
    const ids = board.visible(0).map((v) => v.mark.id);
    expect(ids).toHaveLength(MAX_MARKS);
    expect(ids).toContain(0);
    expect(ids).not.toContain(1);
  });
});

describe('letterbox', () => {
  it('places marks on the picture, not on the bars around it', () => {
    // 1600x900 shown in 800x800: bars of 175 px above and below.
    const pic = contentRect({ left: 0, top: 0, width: 800, height: 800 }, { width: 1600, height: 900 });
    expect(pic).toEqual({ left: 0, top: 175, width: 800, height: 450 });
    expect(place(pic, { x: 0, y: 0 })).toEqual({ x: 0, y: 175 });
    expect(place(pic, { x: 1, y: 1 })).toEqual({ x: 799, y: 624 });
    // Tall box, wide frame the other way round: bars left and right.
    expect(contentRect({ left: 10, top: 0, width: 1000, height: 300 }, { width: 400, height: 300 })).toEqual({
      left: 310,
      top: 0,
      width: 400,
      height: 300,
    });
  });

  it('thins a long stroke under the cap, keeping its ends', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i / 999, y: 0 }));
    const out = thin(points, 400);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out[0]).toEqual(points[0]);
    expect(out[out.length - 1]).toEqual(points[999]);
  });
});
