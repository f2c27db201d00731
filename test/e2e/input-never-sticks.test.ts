import robot from 'robotjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { grantControl, videoPoint, watchingSession } from '../support/control-session';
import { XApp } from '../support/x-app';
import { heldButtons, heldKeycodes, nothingHeld } from '../support/x-state';

// Everything here checks the real X server: QueryKeymap / QueryPointer say what is still pressed.
let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

const released = () => expect.poll(() => nothingHeld(harness.x11), { timeout: 10_000 }).toEqual({ keys: [], buttons: [] });

async function editorSession() {
  const editor = await XApp.start('text_field.py', { title: 'Notes', geometry: '1280x800+0+0' }, harness.env);
  harness.windows.push({ app: editor, name: 'Notes' });
  const session = await watchingSession(harness, 'screen');
  await grantControl(harness, session.viewer);
  const p = await videoPoint(session.viewer, 0.5, 0.5);
  await session.viewer.mouse.click(p.x, p.y); // focus follows the pointer: click into the editor first
  await expect.poll(async () => (JSON.parse(await editor.command('clicks')) as unknown[]).length).toBeGreaterThan(0);
  return { editor, ...session };
}
const value = async (editor: XApp) => JSON.parse(await editor.command('value')) as string;

describe('keys come up whatever order the viewer lets go in', () => {
  it('Ctrl released before A: neither stays down, and what is typed next is plain text', async () => {
    const { editor, viewer } = await editorSession();
    const k = viewer.keyboard;
    await k.down('Control');
    await k.down('a');
    await expect.poll(() => heldKeycodes(harness.x11).then((keys) => keys.length)).toBe(2);
    await k.up('Control');
    await k.up('a');
    await released();
    await k.type('hj');
    await expect.poll(() => value(editor)).toBe('hj');
  });

  it('Shift released before Home: Shift does not stay down', async () => {
    const { editor, viewer } = await editorSession();
    await viewer.keyboard.type('ab');
    await expect.poll(() => value(editor)).toBe('ab');
    await viewer.keyboard.down('Shift');
    await viewer.keyboard.down('Home');
    await viewer.keyboard.up('Shift');
    await viewer.keyboard.up('Home');
    await released();
    await viewer.keyboard.type('c');
    await expect.poll(() => value(editor)).toMatch(/^(c|cab)$/);
  });
});

describe('a drag that ends outside the video', () => {
  it('over the toolbar: the release still reaches the host', async () => {
    const { viewer } = await editorSession();
    const start = await videoPoint(viewer, 0.4, 0.4);
    await viewer.mouse.move(start.x, start.y);
    await viewer.mouse.down();
    await expect.poll(() => heldButtons(harness.x11)).toEqual([1]);
    const leave = (await viewer.locator('#leave').boundingBox())!;
    await viewer.mouse.move(leave.x - 40, leave.y + leave.height / 2, { steps: 5 });
    await viewer.mouse.up();
    await released();
  });

  it('a release over a PeerDesk window is never dropped by confinement; a press there is', async () => {
    const shared = await harness.openWindow('Shared app', '#00aa00', '500x400+100+100');
    const { viewer } = await watchingSession(harness, 'window', 'Shared app');
    await grantControl(harness, viewer);
    // A PeerDesk window (the control prompt, say) now lies over the shared window's top-left corner.
    harness.ownWindowRects.push({ x: 100, y: 100, width: 50, height: 50 });
    try {
      const send = (m: object) => harness.services.controlMessage(JSON.stringify(m));
      expect(await send({ t: 'button', button: 'left', down: true, x: 0.01, y: 0.01 })).toMatchObject({ reason: 'INPUT_ERR_OWN_WINDOW' });
      expect(await send({ t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 })).toMatchObject({ injected: true });
      await expect.poll(() => heldButtons(harness.x11)).toEqual([1]);
      expect(await send({ t: 'button', button: 'left', down: false, x: 0.01, y: 0.01 })).toMatchObject({ injected: true });
      await released();
      expect(await shared.waitForClicks(1)).toHaveLength(1);
    } finally {
      harness.ownWindowRects.length = 0;
    }
  });
});

describe('the held-input watchdog lets go of everything', () => {
  const holdKeyAndButton = async (viewer: import('playwright-core').Page) => {
    await viewer.keyboard.down('Control');
    await viewer.keyboard.down('ArrowDown');
    const p = await videoPoint(viewer, 0.3, 0.3);
    await viewer.mouse.move(p.x, p.y);
    await viewer.mouse.down();
    await expect.poll(() => nothingHeld(harness.x11)).toEqual({ keys: expect.arrayContaining([expect.any(Number)]), buttons: [1] });
  };

  it('when control ends (the host takes it back)', async () => {
    const { viewer } = await editorSession();
    await holdKeyAndButton(viewer);
    harness.services.revokeControl('host');
    await released();
  });

  it('when the data channels close under a live page', async () => {
    const { viewer } = await editorSession();
    await holdKeyAndButton(viewer);
    await viewer.evaluate(() => (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.forEach((c) => c.close()));
    await released();
    // The host ended the control session (not only the watchdog's timer): consent is gone too.
    await expect.poll(() => harness.services.consent.current).toBe('none');
  });

  it('when messages stop while something is held, and not while the viewer keeps holding', async () => {
    await editorSession();
    const send = (m: object) => harness.services.controlMessage(JSON.stringify(m));
    // A viewer that presses and then falls silent (frozen tab, a modified client): no keepalive, no release.
    await send({ t: 'key', code: 'ArrowDown', key: 'ArrowDown', down: true, mods: { ctrl: true, alt: false, shift: false, meta: false } });
    await send({ t: 'button', button: 'left', down: true, x: 0.3, y: 0.3 });
    expect(await heldKeycodes(harness.x11)).toHaveLength(2);
    const pressedAt = Date.now();
    await released();
    expect(Date.now() - pressedAt).toBeGreaterThanOrEqual(2500);
    expect(harness.services.consent.current).toBe('granted'); // only the held input went, control stays
  });
});

describe('text that is not a keystroke', () => {
  it('AltGr characters sent as Ctrl+Alt (Windows) arrive as the characters; real Ctrl+Alt shortcuts still work', async () => {
    const { editor, viewer } = await editorSession();
    await editor.command('keys');
    const cdp = await viewer.context().newCDPSession(viewer);
    const ctrlAlt = 1 | 2; // CDP modifier bits: Alt = 1, Ctrl = 2
    for (const [key, code] of [
      ['@', 'KeyQ'],
      ['€', 'KeyE'],
      ['\\', 'Minus'],
      ['{', 'Digit7'],
      ['[', 'Digit8'],
    ]) {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', modifiers: ctrlAlt, key, code, text: key });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: ctrlAlt, key, code });
    }
    await expect.poll(() => value(editor)).toBe('@€\\{[');
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', modifiers: ctrlAlt, key: 't', code: 'KeyT', windowsVirtualKeyCode: 84 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: ctrlAlt, key: 't', code: 'KeyT', windowsVirtualKeyCode: 84 });
    await expect
      .poll(async () => (JSON.parse(await editor.command('keys')) as Array<[string, boolean, boolean]>).filter(([k]) => k === 't'))
      .toEqual([['t', true, true]]);
    await released();
  });

  it('refuses control characters and bidi overrides in text, with a coded error', async () => {
    const { editor } = await editorSession();
    for (const text of ['ok\r', 'a\nb', '\u001b[2J', '\u0003', '\u0008\u0008', 'x\u0085', 'evil\u202egnp.exe', '\u2066hidden\u2069']) {
      const result = await harness.services.controlMessage(JSON.stringify({ t: 'text', text }));
      expect(result).toMatchObject({ ok: false, reason: 'INPUT_ERR_CONTROL_CHARS' });
    }
    expect(await harness.services.controlMessage(JSON.stringify({ t: 'text', text: 'fine' }))).toMatchObject({ injected: true });
    await expect.poll(() => value(editor)).toBe('fine');
    robot.getMousePos(); // robotjs's own connection is still healthy
  });
});
