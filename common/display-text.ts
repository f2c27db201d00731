/**
 * The one display rule for every string that came from the other side (names, chat, file names, free text in a
 * prompt): what the person reads must be exactly the characters that are there. A right-to-left override turns
 * `invoice\u202Efdp.exe` into what reads as "invoiceexe.pdf"; zero-width and filler characters hide text or make a
 * name look blank; BEL rings. All of those are removed here; a file name that was altered says so and shows its
 * real type apart, since the type is what the disguise was about.
 *
 * Shared by the renderer (display) and main (the saved-file rule), so both drop the same characters.
 */

/**
 * Characters never shown: controls (Cc), format characters (Cf: bidi embeddings, overrides, isolates and marks,
 * zero-width spaces and joiners, BOM, soft hyphen), line/paragraph separators, private-use, unassigned code points
 * and lone surrogates, and the letters that render as blank space (Hangul fillers, Braille blank, combining
 * grapheme joiner, Khmer inherent vowels).
 */
// The combining ones (U+034F, U+1160, U+17B4/5) stand alone: inside a class they would combine with a neighbour.
export const HIDDEN_CHARS = /\u034f|\u115f|\u1160|\u17b4|\u17b5|[\u2800\u3164\uffa0\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu;
/** The same for multi-line text, minus the line breaks and tabs that a chat message may hold. */
const HIDDEN_IN_TEXT = /(?![\n\t])(?:\u034f|\u115f|\u1160|\u17b4|\u17b5|[\u2800\u3164\uffa0\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}])/gu;

/** Longest name shown, in characters: a prompt must not be pushed off screen by a name. */
const MAX_SHOWN_NAME_CHARS = 120;

/** One line (a name): hidden characters dropped, every run of spaces of any kind one plain space, trimmed. */
export function displayName(raw: string, max = MAX_SHOWN_NAME_CHARS): string {
  // Line breaks become spaces before the controls go, so "two\nlines" does not read "twolines".
  const text = raw
    .replace(/[\n\r\t\v\f\u2028\u2029]+/g, ' ')
    .replace(HIDDEN_CHARS, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Free text (a chat message): hidden characters dropped; line breaks and tabs kept. */
export function displayText(raw: string): string {
  return raw.replace(HIDDEN_IN_TEXT, '');
}

export interface ShownFileName {
  /** The name with every hidden character removed and spaces collapsed. */
  name: string;
  /** True when the cleaning changed anything: the name as sent was disguised or at least misleading. */
  altered: boolean;
  /** `.exe`: the extension the file really has (what decides how it opens), '' when it has none. */
  realType: string;
}

/**
 * A file name as it is shown: cleaned like a name (no shortening: a cut name could hide the extension), with
 * its real extension apart, so a prompt can say "real type: .exe" when the name was altered.
 */
export function displayFileName(raw: string): ShownFileName {
  const name = displayName(raw, Infinity) || 'file';
  return { name, altered: name !== raw, realType: fileExtension(name) };
}

/** `.exe` for `invoicefdp.exe`, '' for `README` or `.bashrc`. Lower-case: the OS decides on it case-blind. */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot).toLowerCase() : '';
}
