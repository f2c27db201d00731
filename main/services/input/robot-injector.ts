import robot from 'robotjs';
import type { PointerButton } from '../../../protocol/control-messages';
import type { Injector } from './injector';

/** Text robotjs can type on every platform; the rest goes through the Unicode typer. */
const ROBOT_SAFE_TEXT = /^[\x20-\x7e]*$/;

export interface UnicodeTyper {
  type(text: string): Promise<void>;
}

/**
 * Injection through robotjs, with its per-call sleeps turned off. Every call is
 * guarded: robotjs throws on names it does not know, and a throw must never
 * escape into the main process.
 */
export class RobotInjector implements Injector {
  private readonly robot = robot;

  constructor(private readonly unicode?: UnicodeTyper) {
    if (process.platform === 'linux' && !process.env.DISPLAY) throw new Error('DISPLAY is not set (robotjs would crash)');
    this.robot.setMouseDelay(0);
    this.robot.setKeyboardDelay(0);
  }

  moveMouse(x: number, y: number): void {
    this.robot.moveMouse(x, y);
  }

  button(button: PointerButton, down: boolean): void {
    this.robot.mouseToggle(down ? 'down' : 'up', button);
  }

  scroll(dx: number, dy: number): void {
    // robotjs: positive y scrolls up, positive x scrolls left.
    this.robot.scrollMouse(-dx, -dy);
  }

  key(name: string, down: boolean, mods: string[]): void {
    this.robot.keyToggle(name, down ? 'down' : 'up', mods);
  }

  /** ASCII runs go through robotjs; other runs through the platform's Unicode typer. */
  async typeText(text: string): Promise<void> {
    for (const run of text.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
      if (ROBOT_SAFE_TEXT.test(run)) this.robot.typeString(run);
      else if (this.unicode) {
        // robotjs only flushes, and the typer uses its own X connection: without this round trip
        // on robotjs's connection, keys robotjs sent just before could reach the server later.
        this.robot.getMousePos();
        await this.unicode.type(run);
      } else for (const ch of run) this.robot.unicodeTap(ch.codePointAt(0)!);
    }
  }

  mousePosition(): { x: number; y: number } {
    return this.robot.getMousePos();
  }
}
