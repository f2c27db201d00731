/**
 * A received file's name as the sender gave it → a name that is safe to create in the host's download folder on
 * any OS: no path (a name is never a path: `../../etc/passwd` and `C:\evil` lose everything up to the last
 * separator), no control, bidi or invisible characters (which disguise `exe` as `txt`), none of the characters
 * Windows forbids, no Windows device names (CON, NUL, COM1 … even with an extension), no trailing dots or spaces,
 * at most 200 UTF-8 bytes with the extension kept. Blank-looking fillers (Hangul fillers, Braille blank), lone
 * surrogates, private-use and unassigned code points are dropped outright (as the display rule drops them,
 * common/display-text.ts), so a name made of them cannot look like nothing or like another name; a name left blank
 * gets a default. Pure, so it is tested case by case.
 */
const MAX_NAME_BYTES = 200;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>:"|?*\u0000-\u001f]/gu;
const DROPPED = /\u034f|\u115f|\u1160|\u17b4|\u17b5|[\u2800\u3164\uffa0\p{Cs}\p{Co}\p{Cn}]/gu;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

export function safeFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  const base = last.replace(DROPPED, '');
  let name = base.normalize('NFC').replace(UNSAFE, '_').trim();
  // Only fillers before the extension ("\u3164.exe"): the stem is blank, not a hidden file.
  if (base !== last && /^\.[^.]+$/.test(name)) name = `file${name}`;
  name = name.replace(/[. ]+$/, '');
  name = name.replace(/^\.+/, (dots) => '_'.repeat(dots.length)); // no hidden files, no "." / ".."
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (!name || /^_*$/.test(name)) name = name ? `${name}file` : 'file';
  return truncateKeepingExtension(name, MAX_NAME_BYTES);
}

/** `report (1).pdf`, `report (2).pdf` … for the n-th name already taken. */
export function numberedName(name: string, n: number): string {
  const { stem, ext } = splitExtension(name);
  return truncateKeepingExtension(`${stem} (${n})${ext}`, MAX_NAME_BYTES + 8);
}

function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > 16) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  if (bytes(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  const chars = [...stem];
  while (chars.length && bytes(chars.join('') + ext) > maxBytes) chars.pop();
  return chars.join('') + ext;
}
