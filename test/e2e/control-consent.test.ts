import robot from 'robotjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindRevokeHotkey, DEFAULT_REVOKE_HOTKEY, type ShortcutRegistry } from '../../main/adapters/revoke-hotkey';
import { E2EHarness } from '../support/e2e-harness';
import { grantControl, watchingSession } from '../support/control-session';
import { XApp } from '../support/x-app';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

async function editorSession() {
  const editor = await XApp.start('text_field.py', { title: 'Notes', geometry: '1280x800+0+0' }, harness.env);
  harness.windows.push({ app: editor, name: 'Notes' });
  robot.moveMouse(10, 10);
  const session = await watchingSession(harness, 'screen');
  harness.services.input.dropped.clear();
  return { editor, ...session };
}

const nothingHappened = async (editor: XApp) => {
  expect(robot.getMousePos()).toEqual({ x: 10, y: 10 });
  expect(JSON.parse(await editor.command('value'))).toBe('');
  expect(JSON.parse(await editor.command('clicks'))).toEqual([]);
};

describe('no consent, no input', () => {
  it('before any grant: the pointer does not move and nothing is typed', async () => {
    const { editor, viewer } = await editorSession();
    // The viewer's page does not capture input before a grant; send what a modified viewer would.
    expect(await viewer.locator('#remote-keyboard').count()).toBe(0);
    for (const m of [
      { t: 'move', x: 0.5, y: 0.5 },
      { t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 },
      { t: 'text', text: 'pwned' },
    ])
      await harness.services.controlMessage(JSON.stringify(m));
    expect(harness.services.input.dropped.get('INPUT_ERR_NO_CONSENT')).toBe(3);
    await nothingHappened(editor);
  });

  it('while requested and after deny: nothing is injected, and the viewer is told', async () => {
    const { editor, viewer } = await editorSession();
    await viewer.click('#request-control');
    expect(await harness.prompt.shown()).toBe('Tina from IT');
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'requested');
    expect(await harness.services.controlMessage(JSON.stringify({ t: 'move', x: 0.5, y: 0.5 }))).toMatchObject({
      reason: 'INPUT_ERR_NO_CONSENT',
    });
    harness.services.consent.deny();
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'denied');
    expect(await viewer.textContent('#control-state')).toBe('The person declined control');
    await nothingHappened(editor);
  });

  it('a forged "granted" from the viewer changes nothing', async () => {
    const { editor, viewer } = await editorSession();
    await viewer.click('#request-control');
    await harness.prompt.shown();
    for (const forged of [{ t: 'control.state', state: 'granted' }, { t: 'control.grant' }, { t: 'control.request', grant: true }]) {
      const result = await harness.services.controlMessage(JSON.stringify(forged));
      expect(result).toMatchObject({ ok: false, reason: 'INPUT_ERR_BAD_MESSAGE' });
    }
    // Every valid message type, too: none of them reaches "granted" — only ConsentService.grant() does.
    for (const m of [{ t: 'control.request' }, { t: 'control.release' }, { t: 'release-all' }, { t: 'move', x: 0, y: 0 }]) {
      await harness.services.controlMessage(JSON.stringify(m));
      expect(harness.services.consent.current).not.toBe('granted');
    }
    expect(await viewer.evaluate(() => document.body.dataset.controlState)).not.toBe('granted');
    await nothingHappened(editor);
  });

  it('after the host revokes with the sharing-bar button: input stops before the next event', async () => {
    const { editor, host, viewer } = await editorSession();
    await grantControl(harness, viewer);
    await host.waitForSelector('#revoke-control');
    expect(await host.textContent('#control-bar')).toContain('Tina from IT is controlling your mouse and keyboard');
    await host.click('#revoke-control');
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'revoked');
    robot.moveMouse(10, 10);
    expect(await viewer.locator('#remote-keyboard').count()).toBe(0); // the viewer's capture stopped
    for (const m of [
      { t: 'move', x: 0.5, y: 0.5 },
      { t: 'text', text: 'pwned' },
    ]) {
      expect(await harness.services.controlMessage(JSON.stringify(m))).toMatchObject({ reason: 'INPUT_ERR_NO_CONSENT' });
    }
    await nothingHappened(editor);
    expect(harness.services.audit.read().map((e) => e.event)).toEqual(expect.arrayContaining(['control.granted', 'control.revoked']));
  });

  it('after the global hotkey: the registered shortcut revokes, and is unregistered', async () => {
    const { editor, viewer } = await editorSession();
    const registered = new Map<string, () => void>();
    const shortcuts: ShortcutRegistry = {
      register: (a, cb) => (registered.set(a, cb), true),
      unregister: (a) => void registered.delete(a),
      isRegistered: (a) => registered.has(a),
    };
    bindRevokeHotkey(
      shortcuts,
      (l) => harness.services.onControlState(l),
      () => harness.services.revokeControl('hotkey'),
    );
    expect(registered.has(DEFAULT_REVOKE_HOTKEY)).toBe(false);
    await grantControl(harness, viewer);
    expect(registered.has(DEFAULT_REVOKE_HOTKEY)).toBe(true);
    // Events already queued when the hotkey is pressed are not injected either.
    const queued = harness.services.controlMessage(JSON.stringify({ t: 'text', text: 'queued' }));
    registered.get(DEFAULT_REVOKE_HOTKEY)!();
    const late = harness.services.controlMessage(JSON.stringify({ t: 'text', text: 'pwned' }));
    expect(await queued).toMatchObject({ reason: 'INPUT_ERR_NO_CONSENT' });
    expect(await late).toMatchObject({ reason: 'INPUT_ERR_NO_CONSENT' });
    expect(registered.has(DEFAULT_REVOKE_HOTKEY)).toBe(false);
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'revoked');
    expect(JSON.parse(await editor.command('value'))).toBe('');
  });
});

describe('consent that cannot be worn down', () => {
  it('a source switch ends control first, also when the new source cannot be resolved', async () => {
    const shared = await harness.openWindow('Shared app', '#00aa00', '500x400+100+100');
    const other = await harness.openWindow('Other app', '#0000aa', '400x300+700+400');
    const { viewer } = await watchingSession(harness, 'window', 'Shared app');
    const click = { t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 };
    const release = { ...click, down: false };
    for (const next of [`window:${other.windowId}:0`, 'window:not-a-window:0']) {
      await grantControl(harness, viewer);
      harness.services.selectSource(next);
      expect(harness.services.consent.current).toBe('revoked');
      await viewer.waitForFunction(() => document.body.dataset.controlState === 'revoked');
      expect(await harness.services.controlMessage(JSON.stringify(click))).toMatchObject({ ok: false });
      await harness.services.controlMessage(JSON.stringify(release));
      harness.services.selectSource(`window:${shared.windowId}:0`);
    }
    expect(JSON.parse(await shared.command('clicks'))).toEqual([]);
    expect(JSON.parse(await other.command('clicks'))).toEqual([]);
  });

  it('after a Deny the prompt stays shut for a growing cool-down, and "Don’t ask again" shuts it for the session', async () => {
    const { editor, viewer } = await editorSession();
    await viewer.click('#request-control');
    await harness.prompt.shown();
    harness.services.consent.deny();
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'denied');
    const asked = harness.prompt.asked.length;
    for (let i = 0; i < 5; i++) await harness.services.controlMessage(JSON.stringify({ t: 'control.request' }));
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'cooldown');
    expect(await viewer.textContent('#control-state')).toContain('declined recently');
    expect(harness.prompt.asked.length).toBe(asked); // the prompt did not reopen
    expect(harness.services.consent.retryAfterMs()).toBeGreaterThan(9_000);
    expect(harness.services.audit.read().filter((e) => e.event === 'control.request-refused')).toHaveLength(5);
    await nothingHappened(editor);
  });
});
