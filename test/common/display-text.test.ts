import { describe, expect, it } from 'vitest';
import { displayFileName, displayName, displayText, fileExtension } from '../../common/display-text';

describe('displayName: one line of text from the other side', () => {
  it.each([
    ['Contoso IT Helpdesk', 'Contoso IT Helpdesk'],
    ['Ann\u202e nnA', 'Ann nnA'], // right-to-left override
    ['Bob\u2066\u2069\u200f\u200e', 'Bob'], // isolates and marks
    ['Zero\u200bWidth\u200d\ufeff', 'ZeroWidth'],
    ['bell\u0007\u001b[31m', 'bell[31m'],
    ['two\nlines\r\nhere', 'two lines here'],
    ['\u3164\uffa0\u115f\u1160\u2800', ''], // blank-looking fillers
    ['a\ud800b', 'ab'], // lone surrogate
    ['private\ue000use', 'privateuse'],
    ['  spaced\u2003\u3000out  ', 'spaced out'],
    ['Zoë ✓ 李', 'Zoë ✓ 李'], // visible characters are left alone
  ])('%j → %j', (raw, shown) => {
    expect(displayName(raw)).toBe(shown);
  });

  it('a name of exactly the longest length is shown whole; every kind of line break reads as a space', () => {
    expect(displayName('x'.repeat(120))).toBe('x'.repeat(120));
    expect(displayName('a\vb\fc\u2028d\u2029e\rf\tg')).toBe('a b c d e f g');
  });

  it('shortens a very long name so a prompt keeps its buttons on screen', () => {
    const shown = displayName('x'.repeat(500));
    expect([...shown]).toHaveLength(120);
    expect(shown.endsWith('…')).toBe(true);
  });
});

describe('displayText: a chat message', () => {
  it('keeps line breaks and tabs, drops bidi, zero-width, fillers and other controls', () => {
    expect(displayText('line one\n\tline\u202e two\u0007\u200b\u3164')).toBe('line one\n\tline two');
  });
});

describe('displayFileName: a file name with its real type apart', () => {
  it('an override that disguises .exe as .pdf: cleaned, marked altered, real type .exe', () => {
    expect(displayFileName('invoice\u202efdp.exe')).toEqual({ name: 'invoicefdp.exe', altered: true, realType: '.exe' });
  });

  it('spaces that push the real extension out of sight are collapsed and flagged', () => {
    expect(displayFileName(`report.pdf${' '.repeat(60)}.exe`)).toEqual({ name: 'report.pdf .exe', altered: true, realType: '.exe' });
  });

  it('an honest name is left as it is', () => {
    expect(displayFileName('Quarterly report.PDF')).toEqual({ name: 'Quarterly report.PDF', altered: false, realType: '.pdf' });
  });

  it('a name of nothing but hidden characters shows as "file"', () => {
    expect(displayFileName('\u200b\u3164')).toEqual({ name: 'file', altered: true, realType: '' });
  });

  it.each([
    ['README', ''],
    ['.bashrc', ''],
    ['archive.tar.gz', '.gz'],
    ['trailing.', ''],
  ])('fileExtension(%j) = %j', (name, ext) => expect(fileExtension(name)).toBe(ext));
});
