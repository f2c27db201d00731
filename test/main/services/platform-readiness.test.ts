import { describe, expect, it } from 'vitest';
import { readinessNotices } from '../../../main/services/platform-readiness';

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
