import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from '../../protocol/settings';
import { lanViewerUrl } from '../../main/services/lan-address';
import { readinessNotices } from '../../main/services/platform-readiness';
import { redact } from '../../main/services/redact';
import { readSettings } from '../../main/services/settings-file';
import { trayModel } from '../../main/services/host-status';

vi.mock('electron-log/main', () => ({ default: {} }));
const { pinoToAppLog } = await import('../../main/adapters/app-log');

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

  it('accepts only ws/wss servers and real accelerators', () => {
    expect(settingsSchema.shape.signalingUrl.safeParse('https://example.com').success).toBe(false);
    expect(settingsSchema.shape.signalingUrl.safeParse('ws://10.0.0.2:8787/ws').success).toBe(true);
    expect(settingsSchema.shape.revokeHotkey.safeParse('X').success).toBe(false);
    expect(settingsSchema.shape.revokeHotkey.safeParse('CommandOrControl+Shift+F12').success).toBe(true);
  });
});

describe('LAN address for browser viewers', () => {
  const nic = (address: string, internal = false, family = 'IPv4') => ({ address, internal, family }) as never;
  it('prefers a private IPv4 address and skips loopback and IPv6', () => {
    const url = lanViewerUrl(
      { lo: [nic('127.0.0.1', true)], eth0: [nic('fe80::1', false, 'IPv6'), nic('203.0.113.5')], wlan0: [nic('192.168.1.20')] },
      8787,
    );
    expect(url).toBe('http://192.168.1.20:8787');
  });
  it('says nothing when there is no network', () => {
    expect(lanViewerUrl({ lo: [nic('127.0.0.1', true)] }, 8787)).toBeUndefined();
  });
});

describe('platform notices', () => {
  it('macOS: screen recording missing blocks sharing; accessibility missing limits control', () => {
    const notices = readinessNotices({ platform: 'darwin', env: {}, screenAccess: 'denied', accessibilityTrusted: false });
    expect(notices.map((n) => [n.id, n.severity])).toEqual([
      ['mac-screen-recording', 'blocker'],
      ['mac-accessibility', 'warning'],
    ]);
    expect(readinessNotices({ platform: 'darwin', env: {}, screenAccess: 'granted', accessibilityTrusted: true })).toEqual([]);
  });

  it('Linux: explains Wayland (with and without XWayland) and a missing display', () => {
    const wayland = readinessNotices({ platform: 'linux', env: { XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' } });
    expect(wayland[0]!.body).toMatch(/older \(X11\) apps/);
    expect(readinessNotices({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })[0]!.body).toMatch(/needs an X11 session/);
    expect(readinessNotices({ platform: 'linux', env: {} })[0]!.id).toBe('linux-no-display');
    expect(readinessNotices({ platform: 'linux', env: { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' } })).toEqual([]);
  });
});

describe('logs carry no secrets', () => {
  it('redacts PINs, TURN credentials and tokens, in fields and inside text', () => {
    const out = redact({
      msg: 'invite http://192.168.1.20:8787/#join?code=123456789&pin=402913',
      pin: '402913',
      iceServers: [{ urls: 'turn:127.0.0.1:3478', username: '1700000000:peer', credential: 'c2VjcmV0' }],
      ping: 12,
    });
    expect(JSON.stringify(out)).not.toMatch(/402913|c2VjcmV0/);
    expect(out).toMatchObject({ pin: '[redacted]', ping: 12, iceServers: [{ credential: '[redacted]', username: '1700000000:peer' }] });
  });

  it('passes the embedded server’s JSON lines through the same log, by level', () => {
    const seen: unknown[][] = [];
    const log = {
      info: (...a: unknown[]) => seen.push(['info', ...a]),
      warn: (...a: unknown[]) => seen.push(['warn', ...a]),
      error: vi.fn(),
    };
    const sink = pinoToAppLog(log as never);
    sink.write('{"level":40,"msg":"join refused","reason":"bad pin"}\n');
    sink.write('not json\n');
    expect(seen).toEqual([
      ['warn', '[signaling]', 'join refused', { reason: 'bad pin' }],
      ['info', '[signaling]', 'not json'],
    ]);
  });
});

describe('tray model', () => {
  it('describes sharing without control', () => {
    expect(trayModel({ sharing: { viewer: 'Tina', source: 'Mail' }, control: 'none' }).tooltip).toBe('PeerDesk — sharing Mail with Tina');
  });
});
