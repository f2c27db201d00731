import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../protocol/settings';
import { readSettings } from '../../../main/services/settings-file';

describe('settings', () => {
  it('keeps valid fields and falls back per field, saying why', () => {
    const { settings, problems } = readSettings({
      signalingUrl: 'wss://help.example.com/ws',
      displayName: 'Tina from IT',
      revokeHotkey: 'Alt+F4; rm -rf',
      lanPort: 80,
      unknown: true,
    });
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, signalingUrl: 'wss://help.example.com/ws', displayName: 'Tina from IT' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^revokeHotkey: .*Control\+Alt\+Shift\+X/);
    expect(problems[1]).toMatch(/^lanPort: /);
  });

  it('survives a file that is not an object at all', () => {
    expect(readSettings('garbage')).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('takes a download folder only as a full path, and a size cap in whole MiB', () => {
    const folder = settingsSchema.shape.downloadFolder;
    for (const ok of ['', '/home/tina/Tickets', 'C:\\Users\\tina\\Tickets', 'D:/Support', '\\\\fileserver\\helpdesk'])
      expect(folder.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['Downloads', '../etc', '~/Downloads', '/tmp/\u0007bell']) expect(folder.safeParse(bad).success, bad).toBe(false);
    expect(settingsSchema.shape.maxFileMiB.safeParse(0).success).toBe(false);
    expect(settingsSchema.shape.maxFileMiB.safeParse(1.5).success).toBe(false);
    expect(DEFAULT_SETTINGS.maxFileMiB).toBe(2048);
  });

  it('accepts only ws/wss servers and real accelerators', () => {
    expect(settingsSchema.shape.signalingUrl.safeParse('https://example.com').success).toBe(false);
    expect(settingsSchema.shape.signalingUrl.safeParse('ws://10.0.0.2:8787/ws').success).toBe(true);
    expect(settingsSchema.shape.revokeHotkey.safeParse('X').success).toBe(false);
    expect(settingsSchema.shape.revokeHotkey.safeParse('CommandOrControl+Shift+F12').success).toBe(true);
  });
});
