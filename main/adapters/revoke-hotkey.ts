import type { ControlState } from '../../protocol/control-messages';

import { DEFAULT_REVOKE_HOTKEY } from '../../protocol/settings';

export { DEFAULT_REVOKE_HOTKEY };

/** The slice of Electron's `globalShortcut` used here (tests pass a recording stand-in). */
export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  isRegistered(accelerator: string): boolean;
}

/** Registers the global "take back control" hotkey while control is granted, and only then. */
export function bindRevokeHotkey(
  shortcuts: ShortcutRegistry,
  onChange: (listener: (s: ControlState) => void) => void,
  revoke: () => void,
  accelerator = DEFAULT_REVOKE_HOTKEY,
): void {
  onChange((state) => {
    if (state === 'granted') {
      if (!shortcuts.isRegistered(accelerator)) shortcuts.register(accelerator, revoke);
    } else if (shortcuts.isRegistered(accelerator)) shortcuts.unregister(accelerator);
  });
}
