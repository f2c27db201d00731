import {
  type AnnotationColor,
  LASER_IDLE_MS,
  MARK_FADE_MS,
  MARK_VISIBLE_MS,
  MAX_MARKS,
  type Shape,
  type ViewerAnnotation,
} from '../../protocol/annotation-messages';

export interface Mark {
  id: number;
  shape: Shape;
  color: AnnotationColor;
  pinned: boolean;
  /** When it arrived, on this side's clock (the sender's clock is never trusted). */
  at: number;
}

export interface Laser {
  x: number;
  y: number;
  color: AnnotationColor;
  at: number;
}

/**
 * What is on screen, without any drawing: the marks (each fading after MARK_VISIBLE_MS unless pinned), the laser dot,
 * and how opaque each is at a given time. The same model serves the host's canvas, the desktop overlay and the
 * viewer's own preview of what it sent.
 */
export class MarkBoard {
  private readonly marks = new Map<number, Mark>();
  laser?: Laser;

  apply(message: ViewerAnnotation, now: number): void {
    switch (message.t) {
      case 'laser':
        this.laser = { x: message.x, y: message.y, color: message.color, at: now };
        return;
      case 'laser.off':
        this.laser = undefined;
        return;
      case 'clear':
        this.marks.clear();
        return;
      case 'mark':
        this.marks.delete(message.id);
        this.marks.set(message.id, { id: message.id, shape: message.shape, color: message.color, pinned: message.pinned, at: now });
        this.trim();
    }
  }

  /** Everything off (the person turned annotations off, the session ended). */
  reset(): void {
    this.marks.clear();
    this.laser = undefined;
  }

  /** Marks still visible at `now` with their opacity; faded-out ones are forgotten. */
  visible(now: number): Array<{ mark: Mark; alpha: number }> {
    const shown: Array<{ mark: Mark; alpha: number }> = [];
    for (const mark of this.marks.values()) {
      const alpha = markAlpha(mark, now);
      if (alpha > 0) shown.push({ mark, alpha });
      else this.marks.delete(mark.id);
    }
    return shown;
  }

  laserAt(now: number): Laser | undefined {
    if (this.laser && now - this.laser.at > LASER_IDLE_MS) this.laser = undefined;
    return this.laser;
  }

  /**
   * When the picture next changes without a new message: `now` while a mark is fading (paint every frame), the start
   * of the next fade or the laser's timeout otherwise, undefined when nothing will. The painter sleeps until then
   * instead of repainting an unchanged canvas every frame.
   */
  nextChange(now: number): number | undefined {
    const times: number[] = [];
    const laser = this.laserAt(now);
    if (laser) times.push(laser.at + LASER_IDLE_MS + 1);
    for (const { mark } of this.visible(now)) {
      if (mark.pinned) continue;
      const fadeAt = mark.at + MARK_VISIBLE_MS;
      times.push(now >= fadeAt ? now : fadeAt);
    }
    return times.length ? Math.min(...times) : undefined;
  }

  get size(): number {
    return this.marks.size;
  }

  /** Over MAX_MARKS the oldest unpinned mark goes first; only pinned ones left: the oldest of those. */
  private trim(): void {
    while (this.marks.size > MAX_MARKS) {
      const oldest = [...this.marks.values()].find((m) => !m.pinned) ?? this.marks.values().next().value;
      if (!oldest) return;
      this.marks.delete(oldest.id);
    }
  }
}

export function markAlpha(mark: Pick<Mark, 'pinned' | 'at'>, now: number): number {
  if (mark.pinned) return 1;
  const age = now - mark.at;
  if (age <= MARK_VISIBLE_MS) return 1;
  return Math.max(0, 1 - (age - MARK_VISIBLE_MS) / MARK_FADE_MS);
}
