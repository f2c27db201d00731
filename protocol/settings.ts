/** The desktop app's settings: one schema for the settings file, the IPC call that saves it, and the form. */
import * as z from 'zod';
import { displayNameSchema } from './signaling-messages';
import { parseDomains } from './verified-policy';

export const DEFAULT_REVOKE_HOTKEY = 'Control+Alt+Shift+X';
export const DEFAULT_LAN_PORT = 8787;
/** Largest file the desktop host accepts unless the host sets otherwise: 2 GiB. */
export const DEFAULT_MAX_FILE_MIB = 2048;

/** A full folder path on any desktop OS: `/…`, `C:\…` or `\\server\share…`. */
const absoluteFolderSchema = z
  .string()
  .max(4096)
  .regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\[^\\])/, 'a full folder path, such as /home/me/Downloads or C:\\Users\\me\\Downloads')
  .refine((p) => !/\p{Cc}/u.test(p), 'no control characters');

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
  /** Where files the technician sends are saved. Empty: the Downloads folder. */
  downloadFolder: z.union([z.literal(''), absoluteFolderSchema]),
  /** Largest file accepted from the technician, in MiB. */
  maxFileMiB: z
    .number()
    .int()
    .min(1)
    .max(64 * 1024),
  /** "Only verified technicians": a join without a server-verified identity is declined, even when the server allows it. */
  onlyVerified: z.boolean(),
  /** With onlyVerified: the technicians' email domains accepted (comma-separated); empty: any verified technician. */
  verifiedDomains: z
    .string()
    .max(1000)
    .refine((list) => parseDomains(list) !== undefined, 'email domains separated by commas, such as example.com, contoso.org'),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  signalingUrl: '',
  displayName: '',
  revokeHotkey: DEFAULT_REVOKE_HOTKEY,
  lanPort: DEFAULT_LAN_PORT,
  downloadFolder: '',
  maxFileMiB: DEFAULT_MAX_FILE_MIB,
  onlyVerified: false,
  verifiedDomains: '',
};

/** Shown before sharing or control when the platform needs something from the user. */
export interface PlatformNotice {
  id: string;
  /** `blocker`: sharing cannot work until fixed; `warning`: some features are limited. */
  severity: 'blocker' | 'warning';
  title: string;
  body: string;
}
