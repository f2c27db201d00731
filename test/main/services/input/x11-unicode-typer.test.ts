import robot from 'robotjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RobotInjector } from '../../../../main/services/input/robot-injector';
import { X11Connection } from '../../../../main/services/input/x11-connection';
import { X11UnicodeTyper } from '../../../../main/services/input/x11-unicode-typer';
import { XApp } from '../../../support/x-app';

/** The keycodes with no keysym at all: the ones the typer may borrow. */
async function unboundKeycodes(conn: X11Connection): Promise<number[]> {
  const { min_keycode: min, max_keycode: max } = conn.display;
  const map = await conn.call<number[][]>((cb) => conn.x.GetKeyboardMapping(min, max - min + 1, cb));
  return map.flatMap((syms, i) => (syms.every((s) => s === 0) ? [min + i] : []));
}

describe('Unicode text on X11, typed into a real Tk editor', () => {
  let conn: X11Connection;
  let editor: XApp;
  let typer: X11UnicodeTyper;
  let injector: RobotInjector;
  let spareBefore: number[];

  beforeAll(async () => {
    conn = await X11Connection.connect();
    spareBefore = await unboundKeycodes(conn);
    typer = await X11UnicodeTyper.create(conn);
    injector = new RobotInjector(typer);
    editor = await XApp.start('text_field.py', { title: 'Unicode', geometry: '1280x800+0+0' });
    robot.moveMouse(640, 400); // focus follows the pointer under a bare Xvfb
    robot.mouseClick();
  });

  afterAll(async () => {
    await editor?.stop();
    conn?.close();
  });

  async function typed(text: string): Promise<string> {
    await editor.command('clear');
    await injector.typeText(text);
    let value = '';
    const deadline = Date.now() + 3000;
    // Tk applies key events asynchronously: ask until the value settles on the text or time runs out.
    while (Date.now() < deadline && (value = JSON.parse(await editor.command('value')) as string) !== text);
    return value;
  }

  it('types strings that need more characters than there are spare keycodes, each one right', async () => {
    // Rebinding a keycode that a client has cached is what used to type the old character.
    const texts = ['Grüße, Ærø! ñ €5', 'Привет, мир', 'Ωλ 中文 ĳŋ → ← ✓', 'ÆØÅ æøå ç', 'Привет, мир'];
    const distinct = new Set(texts.join('').replace(/[\x20-\x7e]/g, '')).size;
    expect(distinct).toBeGreaterThan(spareBefore.length);
    for (const text of [...texts, ...texts]) expect(await typed(text)).toBe(text);
  });

  it('gives every borrowed keycode back on release', async () => {
    expect((await unboundKeycodes(conn)).length).toBeLessThan(spareBefore.length);
    await typer.release();
    expect(await unboundKeycodes(conn)).toEqual(spareBefore);
  });
});
