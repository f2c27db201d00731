/** The desktop app's settings: one schema for the settings file, the IPC call that saves it, and the form. */
import { z } from 'zod';
import { displayNameSchema } from './signaling-messages';

export const DEFAULT_REVOKE_HOTKEY = 'Control+Alt+Shift+X';
export const DEFAULT_LAN_PORT = 8787;

/** An Electron accelerator with one to four modifiers and one key, e.g. `Control+Alt+Shift+X`. */
export const acceleratorSchema = z
  .string()
  .regex(
    /^(?:(?:CommandOrControl|Control|Ctrl|Command|Cmd|Alt|Option|AltGr|Shift|Super|Meta)\+){1,4}(?:[A-Z0-9]|F(?:[1-9]|1\d|2[0-4]))$/,
    'a shortcut such as Control+Alt+Shift+X',
  );

export const settingsSchema = z.strictObject({
  /** Empty: use the embedded server on this computer. */
  signalingUrl: z.union([z.literal(''), z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// address' })]),
  /** Pre-fills the "Give help" form. */
  displayName: z.union([z.literal(''), displayNameSchema]),
  revokeHotkey: acceleratorSchema,
  /** Port of the embedded signaling server that browser viewers on the LAN open. */
  lanPort: z.number().int().min(1024).max(65535),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  signalingUrl: '',
  displayName: '',
  revokeHotkey: DEFAULT_REVOKE_HOTKEY,
  lanPort: DEFAULT_LAN_PORT,
};

/** Shown before sharing or control when the platform needs something from the user. */
export interface PlatformNotice {
  id: string;
  /** `blocker`: sharing cannot work until fixed; `warning`: some features are limited. */
  severity: 'blocker' | 'warning';
  title: string;
  body: string;
}
