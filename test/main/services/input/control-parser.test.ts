import { describe, expect, it } from 'vitest';
import { isRelease, parseControl } from '../../../../main/services/input/control-parser';
import { MAX_CONTROL_MESSAGE_BYTES, MAX_TEXT_CHARS } from '../../../../protocol/control-messages';
import { InputErrorCode } from '../../../../protocol/error-codes';

// The first gate every data-channel message passes on the host: exact verdicts, no robotjs, no X.

const NO_MODS = { ctrl: false, alt: false, shift: false, meta: false };
const parse = (message: object) => parseControl(JSON.stringify(message));
const text = (value: string) => parse({ t: 'text', text: value });

describe('parseControl: what is not a message', () => {
  it('refuses anything but a string, saying it is not text', () => {
    for (const raw of [undefined, null, 42, { t: 'move', x: 0, y: 0 }, new ArrayBuffer(4)]) {
      expect(parseControl(raw)).toEqual({ ok: false, reason: InputErrorCode.BadMessage, detail: 'not text' });
    }
  });

  it('takes a message of exactly the byte limit and refuses one byte more, counting bytes, not characters', () => {
    const move = JSON.stringify({ t: 'move', x: 0.5, y: 0.5 });
    const atLimit = move + ' '.repeat(MAX_CONTROL_MESSAGE_BYTES - move.length);
    expect(parseControl(atLimit)).toEqual({ ok: true, message: { t: 'move', x: 0.5, y: 0.5 } });
    expect(parseControl(atLimit + ' ')).toEqual({ ok: false, reason: InputErrorCode.TooLarge });
    // Two bytes per 'é': within the limit in characters, over it in bytes.
    const wide = move + 'é'.repeat((MAX_CONTROL_MESSAGE_BYTES - move.length) / 2 + 1);
    expect(wide.length).toBeLessThan(MAX_CONTROL_MESSAGE_BYTES);
    expect(parseControl(wide)).toEqual({ ok: false, reason: InputErrorCode.TooLarge });
  });

  it('refuses text that is no JSON', () => {
    expect(parseControl('{"t":"move",')).toEqual({ ok: false, reason: InputErrorCode.BadJson });
    expect(parseControl('')).toEqual({ ok: false, reason: InputErrorCode.BadJson });
  });

  it('refuses JSON that is no control message, with the schema’s first complaint as detail', () => {
    for (const bad of [{ t: 'move', x: 2, y: 0 }, { t: 'launch' }, { t: 'key', code: 'KeyA', key: 'a', down: true }, [], 'move']) {
      const parsed = parse(bad as object);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.reason).toBe(InputErrorCode.BadMessage);
      expect(parsed.detail).toEqual(expect.any(String));
      expect(parsed.detail).not.toBe('');
    }
  });
});

describe('parseControl: button releases', () => {
  it('a release off the surface is clamped onto its edge, not dropped (a refused release would stay held)', () => {
    expect(parse({ t: 'button', button: 'left', down: false, x: 1.5, y: -3 })).toEqual({
      ok: true,
      message: { t: 'button', button: 'left', down: false, x: 1, y: 0 },
    });
  });

  it('a release whose position is no number leaves the pointer where it is; extra fields are ignored', () => {
    const parsed = parse({ t: 'button', button: 'right', down: false, x: 'far', extra: true });
    expect(parsed).toEqual({ ok: true, message: { t: 'button', button: 'right', down: false } });
  });

  it('a press is never read leniently: off the surface it is refused', () => {
    expect(parse({ t: 'button', button: 'left', down: true, x: 1.5, y: 0.5 })).toMatchObject({
      ok: false,
      reason: InputErrorCode.BadMessage,
    });
  });

  it('a release of an unknown button is refused', () => {
    expect(parse({ t: 'button', button: 'fourth', down: false, x: 0, y: 0 })).toMatchObject({
      ok: false,
      reason: InputErrorCode.BadMessage,
    });
  });
});

describe('parseControl: text', () => {
  it('passes printable text of any script, including emoji and ordinary spaces', () => {
    for (const value of ['hello', 'Grüße', 'مرحبا', '你好', '🙂👍', 'a b\u00a0c', 'x'.repeat(MAX_TEXT_CHARS)]) {
      expect(text(value)).toEqual({ ok: true, message: { t: 'text', text: value } });
    }
  });

  it.each([
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['NUL', '\u0000'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['the Arabic letter mark', '\u061c'],
    ['a zero-width space', '\u200b'],
    ['a right-to-left mark', '\u200f'],
    ['a left-to-right embedding', '\u202a'],
    ['a right-to-left override', '\u202e'],
    ['a word joiner', '\u2060'],
    ['an invisible plus', '\u2064'],
    ['a left-to-right isolate', '\u2066'],
    ['a pop-directional isolate', '\u2069'],
    ['a byte-order mark', '\ufeff'],
  ])('refuses text carrying %s, saying control keys travel as keys', (_name, bad) => {
    const parsed = text(`ok${bad}ok`);
    expect(parsed).toMatchObject({ ok: false, reason: InputErrorCode.ControlChars });
    expect(!parsed.ok && parsed.detail).toMatch(/keys/);
  });

  it.each([
    ['the Arabic semicolon before the letter mark', '\u061b'],
    ['the Arabic triple dot after it', '\u061d'],
    ['a hair space before the zero-width range', '\u200a'],
    ['a hyphen after it', '\u2010'],
    ['the paragraph separator before the bidi embeddings', '\u2029'],
    ['a narrow no-break space after them', '\u202f'],
    ['a medium mathematical space before the word joiner', '\u205f'],
    ['an inhibit-symmetric-swapping mark after the isolates', '\u206a'],
    ['the last Arabic ligature before the byte-order mark', '\ufefc'],
    ['a full-width exclamation mark after it', '\uff01'],
    ['a no-break space (not a C1 control)', '\u00a0'],
    ['a space', ' '],
  ])('passes text carrying %s', (_name, fine) => {
    expect(text(`ok${fine}ok`)).toEqual({ ok: true, message: { t: 'text', text: `ok${fine}ok` } });
  });
});

describe('isRelease', () => {
  it('is true for a button-up, a key-up and release-all', () => {
    expect(isRelease({ t: 'button', button: 'left', down: false })).toBe(true);
    expect(isRelease({ t: 'key', code: 'KeyA', key: 'a', down: false, mods: NO_MODS })).toBe(true);
    expect(isRelease({ t: 'release-all' })).toBe(true);
  });

  it('is false for presses and every other message', () => {
    expect(isRelease({ t: 'button', button: 'left', down: true, x: 0, y: 0 })).toBe(false);
    expect(isRelease({ t: 'key', code: 'KeyA', key: 'a', down: true, mods: NO_MODS })).toBe(false);
    expect(isRelease({ t: 'move', x: 0, y: 0 })).toBe(false);
    expect(isRelease({ t: 'wheel', dx: 0, dy: 1, x: 0, y: 0 })).toBe(false);
    expect(isRelease({ t: 'keepalive' })).toBe(false);
    expect(isRelease({ t: 'text', text: 'a' })).toBe(false);
    expect(isRelease({ t: 'combo', combo: 'super' })).toBe(false);
    expect(isRelease({ t: 'control.release' })).toBe(false);
  });
});
