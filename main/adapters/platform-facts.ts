import { systemPreferences } from 'electron';
import type { PlatformFacts } from '../services/platform-readiness';

/** Reads, never asks: the OS permission prompts are opened only by the user's own action. */
export function currentPlatformFacts(): PlatformFacts {
  const { XDG_SESSION_TYPE, WAYLAND_DISPLAY, DISPLAY } = process.env;
  const facts: PlatformFacts = { platform: process.platform, env: { XDG_SESSION_TYPE, WAYLAND_DISPLAY, DISPLAY } };
  if (process.platform === 'darwin') {
    facts.screenAccess = systemPreferences.getMediaAccessStatus('screen');
    facts.accessibilityTrusted = systemPreferences.isTrustedAccessibilityClient(false);
  }
  return facts;
}
