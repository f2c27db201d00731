import { describe, expect, it } from 'vitest';
import { numberedName, safeFileName } from '../../../../main/services/files/safe-file-name';

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\drivers\\etc\\hosts', 'hosts'],
    ['C:\\evil', 'evil'],
    ['C:evil.bat', 'C_evil.bat'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT1', '_LPT1'],
    ['nul.tar.gz', '_nul.tar.gz'],
    ['report.pdf', 'report.pdf'],
    ['résumé.docx', 'résumé.docx'],
    ['a\r\nb\u0007.txt', 'a__b_.txt'],
    ['invoice\u202efdp.exe', 'invoice_fdp.exe'],
    ['zero\u200bwidth.txt', 'zero_width.txt'],
    ['what?<>|*".txt', 'what______.txt'],
    ['trailing dots... ', 'trailing dots'],
    ['.bashrc', '_bashrc'],
    ['..', 'file'],
    ['/', 'file'],
    ['', 'file'],
    // Blank-looking fillers and lone surrogates are dropped; what is left blank gets a default.
    ['\u3164\uffa0\u115f\u1160\u2800', 'file'],
    ['\u3164.exe', 'file.exe'],
    ['in\u2800voice\u3164.pdf', 'invoice.pdf'],
    ['a\ud800b\udc00.txt', 'ab.txt'],
    ['\udfff', 'file'],
    ['   ', 'file'],
  ])('%j → %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });

  it('cuts a 300-character name to 200 bytes and keeps the extension', () => {
    const name = safeFileName(`${'a'.repeat(300)}.txt`);
    expect(name).toBe(`${'a'.repeat(196)}.txt`);
    const wide = safeFileName(`${'ä'.repeat(300)}.txt`);
    expect(new TextEncoder().encode(wide).length).toBeLessThanOrEqual(200);
    expect(wide.endsWith('.txt')).toBe(true);
  });

  it('numbers a taken name before the extension', () => {
    expect(numberedName('report.pdf', 1)).toBe('report (1).pdf');
    expect(numberedName('README', 2)).toBe('README (2)');
  });
});
