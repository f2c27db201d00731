import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/services/audit-log';
import { ClipboardService } from '../../../main/services/clipboard-service';
import { MAX_CLIPBOARD_BYTES } from '../../../protocol/toolkit-messages';

function setup(initial = 'host text') {
  const system = { text: initial, readText: () => system.text, writeText: (t: string) => void (system.text = t) };
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-clipboard-')), 'audit.jsonl'));
  return { system, audit, clipboard: new ClipboardService(audit, system) };
}

describe('ClipboardService: the host’s clipboard only while the host shares it, enforced in main', () => {
  it('off when a session starts: reads and writes are refused and counted, the clipboard untouched', () => {
    const { system, clipboard } = setup();
    clipboard.beginSession('Tina');
    expect(clipboard.write('rm -rf ~')).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_OFF' });
    expect(clipboard.read()).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_OFF' });
    expect(system.text).toBe('host text');
    expect(clipboard.refused.get('CLIPBOARD_ERR_OFF')).toBe(2);
  });

  it('on: text goes both ways, within the wire’s size cap', () => {
    const { system, clipboard } = setup();
    clipboard.beginSession('Tina');
    expect(clipboard.setSharing(true)).toEqual({ ok: true, value: true });
    expect(clipboard.read()).toEqual({ ok: true, value: 'host text' });
    expect(clipboard.write('net stop spooler')).toEqual({ ok: true, value: undefined });
    expect(system.text).toBe('net stop spooler');
    expect(clipboard.write('x'.repeat(MAX_CLIPBOARD_BYTES + 1))).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_TOO_LARGE' });
    system.text = 'y'.repeat(MAX_CLIPBOARD_BYTES + 1);
    expect(clipboard.read()).toEqual({ ok: true, value: '' });
  });

  it('off again after the host turns it off, and with every new session', () => {
    const { clipboard, system } = setup();
    clipboard.beginSession('Tina');
    clipboard.setSharing(true);
    clipboard.setSharing(false);
    expect(clipboard.write('a')).toMatchObject({ reason: 'CLIPBOARD_ERR_OFF' });
    clipboard.setSharing(true);
    clipboard.endSession();
    clipboard.beginSession('Mallory');
    expect(clipboard.write('b')).toMatchObject({ reason: 'CLIPBOARD_ERR_OFF' });
    expect(system.text).toBe('host text');
  });

  it('outside a session it cannot be turned on, and nothing is read or written', () => {
    const { clipboard } = setup();
    expect(clipboard.setSharing(true)).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_NO_SESSION' });
    expect(clipboard.read()).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_NO_SESSION' });
    clipboard.beginSession('Tina');
    clipboard.setSharing(true);
    clipboard.endSession();
    expect(clipboard.read()).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_NO_SESSION' });
  });

  it('records each change of the host’s choice in the audit trail', () => {
    const { clipboard, audit } = setup();
    clipboard.beginSession('Tina');
    clipboard.setSharing(true);
    clipboard.setSharing(true);
    clipboard.endSession();
    expect(audit.read().map((e) => [e.event, e.viewer, e.reason])).toEqual([
      ['clipboard.on', 'Tina', 'host'],
      ['clipboard.off', 'Tina', 'session-ended'],
    ]);
  });

  it('without a system clipboard every call is refused', () => {
    const clipboard = new ClipboardService(setup().audit);
    clipboard.beginSession('Tina');
    clipboard.setSharing(true);
    expect(clipboard.write('a')).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_UNAVAILABLE' });
  });

  it('the size cap counts bytes: exactly the cap passes both ways, one byte more does not', () => {
    const { system, clipboard } = setup();
    clipboard.beginSession('Tina');
    clipboard.setSharing(true);
    const atCap = 'é'.repeat(MAX_CLIPBOARD_BYTES / 2);
    expect(clipboard.write(atCap)).toEqual({ ok: true, value: undefined });
    expect(system.text).toBe(atCap);
    expect(clipboard.read()).toEqual({ ok: true, value: atCap });
    // Fewer characters than the cap, more bytes.
    const over = `${atCap}x`;
    expect(over.length).toBeLessThan(MAX_CLIPBOARD_BYTES);
    expect(clipboard.write(over)).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_TOO_LARGE' });
    expect(system.text).toBe(atCap);
    system.text = over;
    expect(clipboard.read()).toEqual({ ok: true, value: '' });
    expect(clipboard.refused.get('CLIPBOARD_ERR_TOO_LARGE')).toBe(1);
  });

  it('enabled reports the host’s choice, and a session ending while off records nothing', () => {
    const { clipboard, audit } = setup();
    expect(clipboard.enabled).toBe(false);
    clipboard.beginSession('Tina');
    expect(clipboard.enabled).toBe(false);
    expect(clipboard.setSharing(false)).toEqual({ ok: true, value: false });
    clipboard.setSharing(true);
    expect(clipboard.enabled).toBe(true);
    clipboard.setSharing(false);
    expect(clipboard.enabled).toBe(false);
    clipboard.endSession();
    clipboard.beginSession('Mallory');
    clipboard.setSharing(true);
    clipboard.beginSession('Eve');
    expect(clipboard.enabled).toBe(false);
    clipboard.endSession();
    expect(clipboard.enabled).toBe(false);
    expect(audit.read().map((e) => [e.event, e.viewer, e.reason])).toEqual([
      ['clipboard.on', 'Tina', 'host'],
      ['clipboard.off', 'Tina', 'host'],
      ['clipboard.on', 'Mallory', 'host'],
    ]);
  });

  it('counts each refusal under its own reason', () => {
    const { clipboard } = setup();
    clipboard.read();
    clipboard.setSharing(true);
    clipboard.beginSession('Tina');
    clipboard.write('a');
    clipboard.read();
    clipboard.read();
    expect(Object.fromEntries(clipboard.refused)).toEqual({ CLIPBOARD_ERR_NO_SESSION: 2, CLIPBOARD_ERR_OFF: 3 });
  });

  it('without a system clipboard reads are refused too, before any other check', () => {
    const clipboard = new ClipboardService(setup().audit);
    expect(clipboard.read()).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_UNAVAILABLE' });
    clipboard.beginSession('Tina');
    expect(clipboard.read()).toEqual({ ok: false, reason: 'CLIPBOARD_ERR_UNAVAILABLE' });
    expect(clipboard.refused.get('CLIPBOARD_ERR_UNAVAILABLE')).toBe(2);
  });
});
