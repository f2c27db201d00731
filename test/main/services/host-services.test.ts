import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostServices } from '../../../main/services/host-services';
import type { Injector } from '../../../main/services/input/injector';

// HostServices wired as main.ts and the harness wire it, with recording stand-ins for robotjs and the windows.
function setup() {
  let now = 0;
  const injected: string[] = [];
  const asked: string[] = [];
  const system = { text: '', readText: () => system.text, writeText: (t: string) => void (system.text = t) };
  const injector: Injector = {
    moveMouse: (x, y) => void injected.push(`move ${x},${y}`),
    button: (b, down) => void injected.push(`button ${b} ${down}`),
    scroll: () => void injected.push('scroll'),
    key: (name, down) => void injected.push(`key ${name} ${down}`),
    typeText: async (t) => void injected.push(`text ${t}`),
    mousePosition: () => ({ x: 0, y: 0 }),
  };
  const host = new HostServices({
    auditPath: join(mkdtempSync(join(tmpdir(), 'peerdesk-host-')), 'audit.jsonl'),
    prompt: { ask: (v) => asked.push(v), dismiss: () => undefined },
    injector,
    windows: {
      windowBounds: async () => ({ x: 0, y: 0, width: 100, height: 100 }),
      raiseWindow: async () => undefined,
      activeWindow: async () => '7',
      isUnderPointer: async () => true,
    },
    own: { rects: () => [], focused: () => false },
    screens: () => [{ id: '0', bounds: { x: 0, y: 0, width: 1280, height: 800 }, scaleFactor: 1 }],
    now: () => now,
    clipboard: system,
  });
  const send = (m: object) => host.controlMessage(JSON.stringify(m));
  const grant = async () => {
    await send({ t: 'control.request' });
    host.consent.grant();
  };
  return { host, injected, asked, send, grant, system, advance: (ms: number) => (now += ms) };
}
const click = { t: 'button', button: 'left', down: true, x: 0.5, y: 0.5 };

describe('HostServices', () => {
  for (const [what, next] of [
    ['another window', 'window:7:0'],
    ['a source it cannot resolve', 'window:gone:0'],
    ['the same kind of source again', 'screen:1:0'],
  ]) {
    it(`a switch to ${what} revokes control before anything is injected`, async () => {
      const { host, injected, send, grant } = setup();
      host.selectSource('screen:0:0');
      host.startControlSession('Tina');
      await grant();
      expect(await send(click)).toMatchObject({ ok: true, injected: true });
      injected.length = 0;
      host.selectSource(next);
      expect(host.consent.current).toBe('revoked');
      expect(await send(click)).toMatchObject({ ok: false });
      expect(injected).toEqual(['button left false']); // only the release of what was held
      expect(host.audit.read().map((e) => e.event)).toContain('control.revoked');
    });
  }

  it('re-asks only after the cool-down of the consent clock', async () => {
    const { host, asked, send, advance } = setup();
    host.selectSource('screen:0:0');
    host.startControlSession('Tina');
    await send({ t: 'control.request' });
    host.consent.deny();
    await send({ t: 'control.request' });
    expect(asked).toEqual(['Tina']);
    advance(10_000);
    await send({ t: 'control.request' });
    expect(asked).toEqual(['Tina', 'Tina']);
  });

  it('ending the session releases what is held and drops the grant', async () => {
    const { host, injected, send, grant } = setup();
    host.selectSource('screen:0:0');
    host.startControlSession('Tina');
    await grant();
    await send({ t: 'key', code: 'KeyA', key: 'a', down: true, mods: { ctrl: true, alt: false, shift: false, meta: false } });
    host.endControlSession('peer-left');
    await send({ t: 'move', x: 0.1, y: 0.1 });
    expect(injected.at(-1)).toBe('key a false');
    expect(host.consent.current).toBe('none');
  });

  it('clipboard sharing is per session: a new viewer starts with it off, whatever the last one had', () => {
    const { host, system } = setup();
    host.selectSource('screen:0:0');
    host.startControlSession('Tina');
    host.clipboard.setSharing(true);
    expect(host.clipboard.write('for Tina')).toMatchObject({ ok: true });
    host.endControlSession();
    host.startControlSession('Mallory');
    expect(host.clipboard.write('from Mallory')).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_OFF' });
    expect(system.text).toBe('for Tina');
  });
});
