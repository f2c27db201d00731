import type { ControlPrompt } from '../../main/services/consent-service';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';

/** The control prompt as the tests see it: they await it being shown, then answer through ConsentService. */
export class TestPrompt implements ControlPrompt {
  readonly asked: string[] = [];
  /** The identity main handed each prompt (undefined: not verified). */
  readonly identities: Array<VerifiedIdentity | undefined> = [];
  open = false;
  private waiters: Array<(viewer: string) => void> = [];

  ask(viewer: string, identity?: VerifiedIdentity): void {
    this.asked.push(viewer);
    this.identities.push(identity);
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
