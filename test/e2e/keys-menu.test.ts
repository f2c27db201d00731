import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { grantControl, watchingSession } from '../support/control-session';
import { XApp } from '../support/x-app';
import { nothingHeld } from '../support/x-state';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** The key presses a real X application saw (modifier keys themselves left out): [keysym, ctrl, alt]. */
async function keysSeen(editor: XApp): Promise<Array<[string, boolean, boolean]>> {
  const keys = JSON.parse(await editor.command('keys')) as Array<[string, boolean, boolean]>;
  return keys.filter(([k]) => !/^(Control|Alt|Shift|Meta)_[LR]$/.test(k));
}

describe('keys menu', () => {
  it('is there only while control is granted, and nothing of it is injected without a grant', async () => {
    const editor = await XApp.start('text_field.py', { title: 'Notes', geometry: '1280x800+0+0' }, harness.env);
    harness.windows.push({ app: editor, name: 'Notes' });
    const { viewer } = await watchingSession(harness, 'screen');
    expect(await viewer.isHidden('#keys-menu')).toBe(true);
    for (const combo of ['ctrl-alt-del', 'super', 'alt-tab', 'alt-f4', 'printscreen', 'ctrl-esc'])
      expect(await harness.services.controlMessage(JSON.stringify({ t: 'combo', combo }))).toMatchObject({
        reason: 'INPUT_ERR_NO_CONSENT',
      });
    expect(await keysSeen(editor)).toEqual([]);
    expect(await harness.services.controlMessage(JSON.stringify({ t: 'combo', combo: 'rm -rf' }))).toMatchObject({
      reason: 'INPUT_ERR_BAD_MESSAGE',
    });
  });

  it('sends each combination as that key with its modifiers, and nothing stays held', async () => {
    // The editor's field has the keyboard focus from the start and fills the screen, under the pointer: these keys
    // depend on the menu alone, not on a click into the editor first (clicks have tests of their own).
    const editor = await XApp.start('text_field.py', { title: 'Notes', geometry: '1280x800+0+0', focus: '1' }, harness.env);
    harness.windows.push({ app: editor, name: 'Notes' });
    const { viewer } = await watchingSession(harness, 'screen');
    await grantControl(harness, viewer);
    for (const combo of ['ctrl-alt-del', 'super', 'alt-tab', 'alt-f4', 'printscreen', 'ctrl-esc']) {
      await viewer.click('#keys-menu summary');
      await viewer.click(`#keys-menu [data-combo="${combo}"]`);
      expect(await viewer.getAttribute('#keys-menu', 'open')).toBeNull(); // the menu closes after a pick
    }
    const seen: Array<[string, boolean, boolean]> = [];
    // The app hands out what it saw since the last ask: collect until all six arrived.
    await expect
      .poll(async () => (seen.push(...(await keysSeen(editor))), seen), { timeout: 5000 })
      .toEqual([
        ['Delete', true, true],
        ['Super_L', false, false],
        ['Tab', false, true],
        ['F4', false, true],
        ['Print', false, false],
        ['Escape', true, false],
      ]);
    expect(await nothingHeld(harness.x11)).toEqual({ keys: [], buttons: [] });
  });
});
