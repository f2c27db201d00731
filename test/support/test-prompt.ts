import type { ControlPrompt } from '../../main/services/consent-service';

/** The control prompt as the tests see it: they await it being shown, then answer through ConsentService. */
export class TestPrompt implements ControlPrompt {
  readonly asked: string[] = [];
  open = false;
  private waiters: Array<(viewer: string) => void> = [];

  ask(viewer: string): void {
    this.asked.push(viewer);
    this.open = true;
    this.waiters.splice(0).forEach((w) => w(viewer));
  }

  dismiss(): void {
    this.open = false;
  }

  shown(): Promise<string> {
    return this.open ? Promise.resolve(this.asked.at(-1)!) : new Promise((resolve) => this.waiters.push(resolve));
  }
}
