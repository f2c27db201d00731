import type { KeyCombo, Modifiers } from '../../../protocol/control-messages';

/**
 * `KeyboardEvent.code` → robotjs key name, for keys that are not text: editing,
 * navigation, function keys, and letters/digits/punctuation when a shortcut
 * modifier (Ctrl/Alt/Meta) is held. Printable characters without such a modifier
 * are typed as text instead, so the viewer's keyboard layout does not matter.
 */
const NAMED: Record<string, string> = {
  Enter: 'enter',
  NumpadEnter: 'enter',
  Tab: 'tab',
  Escape: 'escape',
  Backspace: 'backspace',
  Delete: 'delete',
  Insert: 'insert',
  Home: 'home',
  End: 'end',
  PageUp: 'pageup',
  PageDown: 'pagedown',
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  Space: 'space',
  PrintScreen: 'printscreen',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Backquote: '`',
  Comma: ',',
  Period: '.',
  Slash: '/',
  NumpadAdd: '+',
  NumpadSubtract: '-',
  NumpadMultiply: '*',
  NumpadDivide: '/',
  NumpadDecimal: '.',
};
for (let i = 1; i <= 12; i++) NAMED[`F${i}`] = `f${i}`;
for (let i = 0; i <= 9; i++) {
  NAMED[`Digit${i}`] = String(i);
  NAMED[`Numpad${i}`] = `numpad_${i}`;
}
for (let c = 65; c <= 90; c++) NAMED[`Key${String.fromCharCode(c)}`] = String.fromCharCode(c + 32);

/** Modifier keys travel as state on other keys, never as presses of their own. */
export const MODIFIER_CODES = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'CapsLock',
  'NumLock',
  'Fn',
]);

/** Keys that are never injected: they would act on the host's session rather than an application. */
const BLOCKED = new Set(['Power', 'Sleep', 'WakeUp', 'Eject', 'LaunchApp1', 'LaunchApp2', 'LaunchMail', 'BrowserHome']);

export type KeyAction = { kind: 'key'; name: string; mods: string[] } | { kind: 'text'; text: string } | { kind: 'ignore'; reason: string };

export function robotModifiers(m: Modifiers): string[] {
  const out: string[] = [];
  if (m.ctrl) out.push('control');
  if (m.alt) out.push('alt');
  if (m.shift) out.push('shift');
  if (m.meta) out.push('command');
  return out;
}

const isPrintable = (key: string) => [...key].length === 1 && !/\p{Cc}/u.test(key);

/** What a US layout prints for the punctuation and digit codes, unshifted and shifted. */
const US_CHARACTERS: Record<string, string> = {
  Minus: '-_',
  Equal: '=+',
  BracketLeft: '[{',
  BracketRight: ']}',
  Backslash: '\\|',
  Semicolon: ';:',
  Quote: `'"`,
  Backquote: '`~',
  Comma: ',<',
  Period: '.>',
  Slash: '/?',
  Digit0: '0)',
  Digit1: '1!',
  Digit2: '2@',
  Digit3: '3#',
  Digit4: '4$',
  Digit5: '5%',
  Digit6: '6^',
  Digit7: '7&',
  Digit8: '8*',
  Digit9: '9(',
};

/**
 * Windows reports AltGr as Ctrl+Alt, so `@` on a German keyboard arrives as Ctrl+Alt+Q with key "@". A real
 * Ctrl+Alt shortcut prints a Latin letter or the key's own US character; anything else is what AltGr produced.
 */
function isAltGraphCharacter(code: string, key: string, mods: Modifiers): boolean {
  if (!(mods.ctrl && mods.alt) || mods.meta || !isPrintable(key) || code === 'Space') return false;
  if (/^[a-z]$/i.test(key)) return false;
  return !(US_CHARACTERS[code] ?? '').includes(key);
}

/** Decides how one key event is replayed. Pure, so the table is tested directly. */
export function mapKey(code: string, key: string, mods: Modifiers): KeyAction {
  if (MODIFIER_CODES.has(code) || ['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock'].includes(key))
    return { kind: 'ignore', reason: 'modifier' };
  if (BLOCKED.has(code)) return { kind: 'ignore', reason: 'blocked' };
  if (isAltGraphCharacter(code, key, mods)) return { kind: 'text', text: key };
  const shortcut = mods.ctrl || mods.alt || mods.meta;
  if (!shortcut && isPrintable(key) && code !== 'Space') return { kind: 'text', text: key };
  const name = NAMED[code];
  if (name) return { kind: 'key', name, mods: robotModifiers(mods) };
  // An unknown physical key whose character is a plain ASCII letter/digit still works as a shortcut.
  if (/^[a-z0-9]$/i.test(key)) return { kind: 'key', name: key.toLowerCase(), mods: robotModifiers(mods) };
  return { kind: 'ignore', reason: 'unmapped' };
}

/**
 * The keys menu's combinations as robotjs presses them: the key, with its modifiers held around it. `command` is the
 * Super/Windows key (XK_Super_L on X11). Ctrl+Alt+Del reaches X11 applications and macOS; on Windows it is the
 * Secure Attention Sequence, which no user-mode program can send, so there it does nothing.
 */
export const COMBOS: Record<KeyCombo, { name: string; mods: string[] }> = {
  'ctrl-alt-del': { name: 'delete', mods: ['control', 'alt'] },
  super: { name: 'command', mods: [] },
  'alt-tab': { name: 'tab', mods: ['alt'] },
  'alt-f4': { name: 'f4', mods: ['alt'] },
  printscreen: { name: 'printscreen', mods: [] },
  'ctrl-esc': { name: 'escape', mods: ['control'] },
};
