import { describe, expect, it } from 'vitest';
import type { PeerDeskHostApi } from '../../../protocol/host-api';
import { DEFAULT_SETTINGS } from '../../../protocol/settings';
import type { ServerMessageOf } from '../../../protocol/signaling-messages';
import { defaultHostSettings, loadHostSettings } from '../../../renderer/host/host-session-parts';

const join = (identity?: ServerMessageOf<'join.request'>['identity']): ServerMessageOf<'join.request'> => ({
  type: 'join.request',
  requestId: 'r1',
  name: 'Tina from IT',
  iceServers: [],
  ...(identity ? { identity } : {}),
});

/** The desktop app's API as far as the host page's settings reach (the rest of the API is not called). */
const appApi = (over: Partial<typeof DEFAULT_SETTINGS>, lanUrl?: string) =>
  ({
    settings: async () => ({ ...DEFAULT_SETTINGS, ...over }),
    lanViewerUrl: async () => lanUrl,
  }) as unknown as PeerDeskHostApi;

describe('host settings', () => {
  it('in the desktop app: the hotkey as the person reads it, the file cap in bytes, the LAN address, no notices when none', async () => {
    const { settings } = await loadHostSettings(
      appApi({ revokeHotkey: 'CommandOrControl+Shift+F9', maxFileMiB: 3 }, 'http://10.0.0.2:8787'),
    );
    expect(settings).toEqual({
      revokeLabel: 'Ctrl+Shift+F9',
      maxFileBytes: 3 * 1024 * 1024,
      lanUrl: 'http://10.0.0.2:8787',
      notices: [],
      displayName: '',
    });
  });

  it('in the desktop app the gate follows Settings: "Only verified technicians" refuses a typed name', async () => {
    const strict = await loadHostSettings(appApi({ onlyVerified: true }));
    expect(strict.gate.refusal(join())).toBeDefined();
    expect(strict.gate.element).toBeUndefined();
    const open = await loadHostSettings(appApi({ onlyVerified: false }));
    expect(open.gate.refusal(join())).toBeUndefined();
  });

  it('a browser host (no settings in its API) has the defaults: the default hotkey, no file cap, no LAN address', () => {
    expect(defaultHostSettings()).toEqual({ revokeLabel: 'Ctrl+Alt+Shift+X', displayName: '', notices: [] });
  });
});
