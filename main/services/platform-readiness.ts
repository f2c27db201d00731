import type { PlatformNotice } from '../../protocol/settings';

/** What main reads from the OS (systemPreferences on macOS, the session's environment on Linux). */
export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: { XDG_SESSION_TYPE?: string; WAYLAND_DISPLAY?: string; DISPLAY?: string };
  /** macOS: `systemPreferences.getMediaAccessStatus('screen')`. */
  screenAccess?: string;
  /** macOS: `systemPreferences.isTrustedAccessibilityClient(false)`. */
  accessibilityTrusted?: boolean;
}

/** Plain-language notices about what the platform lets PeerDesk do, shown before sharing or control. */
export function readinessNotices(f: PlatformFacts): PlatformNotice[] {
  const notices: PlatformNotice[] = [];
  if (f.platform === 'darwin') {
    if (f.screenAccess !== undefined && f.screenAccess !== 'granted')
      notices.push({
        id: 'mac-screen-recording',
        severity: 'blocker',
        title: 'macOS needs your permission to share the screen',
        body: 'Open System Settings → Privacy & Security → Screen & System Audio Recording, turn on PeerDesk, then quit and reopen PeerDesk.',
      });
    if (f.accessibilityTrusted === false)
      notices.push({
        id: 'mac-accessibility',
        severity: 'warning',
        title: 'Remote control needs the Accessibility permission',
        body: 'The technician can watch, but not use your mouse and keyboard, until you turn on PeerDesk in System Settings → Privacy & Security → Accessibility.',
      });
  }
  if (f.platform === 'linux') {
    const wayland = f.env.XDG_SESSION_TYPE === 'wayland' || Boolean(f.env.WAYLAND_DISPLAY);
    if (wayland)
      notices.push({
        id: 'linux-wayland',
        severity: 'warning',
        title: 'You are in a Wayland session',
        body: f.env.DISPLAY
          ? 'Sharing works through the system’s screen-sharing dialog. Remote control reaches only older (X11) apps here; for full control, log out and choose an “on Xorg” session.'
          : 'Sharing works through the system’s screen-sharing dialog. Remote control needs an X11 session: log out and choose an “on Xorg” session.',
      });
    else if (!f.env.DISPLAY)
      notices.push({
        id: 'linux-no-display',
        severity: 'blocker',
        title: 'No graphical session found',
        body: 'PeerDesk needs an X11 desktop session (DISPLAY is not set).',
      });
  }
  return notices;
}
