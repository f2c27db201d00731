import { globalShortcut } from 'electron';
import type { ControlState } from '../../protocol/control-messages';

export const DEFAULT_REVOKE_HOTKEY = 'Control+Alt+Shift+X';

/** Registers the global "take back control" hotkey while control is granted, and only then. */
export function bindRevokeHotkey(
  onChange: (l: (s: ControlState) => void) => void,
  revoke: () => void,
  accelerator = DEFAULT_REVOKE_HOTKEY,
) {
  onChange((state) => {
    if (state === 'granted') {
      if (!globalShortcut.isRegistered(accelerator)) globalShortcut.register(accelerator, revoke);
    } else if (globalShortcut.isRegistered(accelerator)) globalShortcut.unregister(accelerator);
  });
}
