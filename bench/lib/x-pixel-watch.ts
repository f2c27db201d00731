import { type ChildProcess, fork } from 'node:child_process';
import type { PixelReply, PixelRequest, Point, Rect } from '../x-pixel-observer';

type Ask = PixelRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The bench's handle on the glass-to-glass observer (`bench/x-pixel-observer.ts`), a process of its own that reads
 * one pixel on the host's display and one on the viewer's, so the figure is taken where a person looks and the same
 * way for every variant.
 */
export class XPixelWatch {
  private nextId = 1;
  private readonly pending = new Map<number, (m: PixelReply) => void>();

  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (m: PixelReply) => {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.(m);
    });
  }

  static async start(hostDisplay: string, viewerDisplay: string): Promise<XPixelWatch> {
    const proc = fork('bench/x-pixel-observer.ts', [hostDisplay, viewerDisplay], { execArgv: ['--import', 'tsx'] });
    await new Promise((resolve, reject) => {
      proc.once('message', resolve);
      proc.once('exit', (code) => reject(new Error(`pixel observer exited with ${code}`)));
    });
    return new XPixelWatch(proc);
  }

  /**
   * Arms the observer for a change to `rgb` and resolves once it is armed; `result` then resolves with when the host
   * display showed the colour (flip) and when the viewer display did (shown), or `error: 'missed'`.
   */
  async arm(host: Point | null, viewer: Point, rgb: [number, number, number], timeoutMs = 3000): Promise<{ result: Promise<PixelReply> }> {
    const id = this.nextId++;
    const result = new Promise<PixelReply>((resolve) => this.pending.set(id, resolve));
    await new Promise((resolve) => {
      this.pending.set(-id, resolve);
      this.send(id, { kind: 'arm', host, viewer, rgb, timeoutMs });
    });
    return { result };
  }

  /** Redraws of `viewer` (a rectangle of the viewer's display) over `ms`, and the longest gap between two. */
  frames(viewer: Rect, ms: number): Promise<{ frames: number; longestGapMs: number }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (m) => resolve({ frames: m.frames ?? 0, longestGapMs: m.longestGapMs ?? ms }));
      this.send(id, { kind: 'frames', viewer, ms });
    });
  }

  private send(id: number, ask: Ask): void {
    this.proc.send({ id, ...ask } as PixelRequest);
  }

  close(): void {
    this.proc.disconnect();
  }
}
