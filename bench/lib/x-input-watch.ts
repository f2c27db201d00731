import { type ChildProcess, fork } from 'node:child_process';
import type { InputPattern, ObserverReply } from '../x-input-observer';

/**
 * Tells when the X server delivers a pointer move or a key event, as seen by an observer process of its own
 * (`bench/x-input-observer.ts`): the bench process runs the host services and robotjs, and an observer inside it would
 * share their event loop and inflate their tail.
 */
export class XInputWatch {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (at: number) => void; reject: (err: Error) => void }>();

  private constructor(private readonly proc: ChildProcess) {
    proc.on('message', (m: ObserverReply) => {
      const w = this.pending.get(m.id);
      if (!w) return;
      this.pending.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.at ?? 0);
    });
  }

  static async start(display: string): Promise<XInputWatch> {
    const proc = fork('bench/x-input-observer.ts', [display], { execArgv: ['--import', 'tsx'] });
    await new Promise((resolve) => proc.once('message', resolve));
    return new XInputWatch(proc);
  }

  /** Windows appear and disappear between variants: call again before measuring. */
  async selectTree(): Promise<void> {
    await this.ask({ kind: 'rescan' });
  }

  /**
   * Registers the pattern with the observer and resolves once it is registered (wrapped, so awaiting the registration
   * does not await the event); `arrival` then resolves with the arrival time of the first matching event.
   */
  async next(pattern: Exclude<InputPattern, { kind: 'rescan' }>, timeoutMs = 3000): Promise<{ arrival: Promise<number> }> {
    const id = this.nextId++;
    const arrival = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching X event')), timeoutMs);
      this.pending.set(id, {
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        reject,
      });
    });
    await new Promise<void>((resolve) => {
      this.pending.set(-id, { resolve: () => resolve(), reject: () => resolve() });
      this.proc.send({ id, ...pattern });
    });
    return { arrival };
  }

  private ask(pattern: InputPattern): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ id, ...pattern });
    });
  }

  close(): void {
    this.proc.disconnect();
  }
}
