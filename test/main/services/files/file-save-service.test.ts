import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSaveService } from '../../../../main/services/files/file-save-service';

function service(maxBytes = 1024 * 1024) {
  const folder = mkdtempSync(join(tmpdir(), 'peerdesk-files-'));
  const saved: Array<{ name: string; size: number; sha256: string }> = [];
  const files = new FileSaveService({
    folder: () => folder,
    maxBytes: () => maxBytes,
    onSaved: ({ name, size, sha256 }) => saved.push({ name, size, sha256 }),
  });
  return { folder, files, saved };
}
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function receive(files: FileSaveService, name: string, data: Uint8Array, sent = data) {
  const token = await files.begin(name, data.length);
  for (let i = 0; i < sent.length; i += 1000) await files.write(token, sent.subarray(i, i + 1000));
  return files.finish(token, sha256(data));
}

describe('FileSaveService', () => {
  it('saves the verified bytes under the sanitized name, never overwriting', async () => {
    const { folder, files, saved } = service();
    writeFileSync(join(folder, 'report.pdf'), 'already here');
    const data = randomBytes(10_000);
    const first = await receive(files, '../../report.pdf', data);
    const second = await receive(files, 'report.pdf', data);
    expect(first).toEqual({ ok: true, path: join(folder, 'report (1).pdf'), sha256: sha256(data) });
    expect(second).toMatchObject({ ok: true, path: join(folder, 'report (2).pdf') });
    expect(readFileSync(join(folder, 'report.pdf'), 'utf8')).toBe('already here');
    expect(sha256(readFileSync(join(folder, 'report (1).pdf')))).toBe(sha256(data));
    expect(readdirSync(folder).sort()).toEqual(['report (1).pdf', 'report (2).pdf', 'report.pdf']);
    // For the audit log: each file under the name it got, with its size and hash.
    expect(saved).toEqual([
      { name: 'report (1).pdf', size: 10_000, sha256: sha256(data) },
      { name: 'report (2).pdf', size: 10_000, sha256: sha256(data) },
    ]);
  });

  it('a corrupted transfer is reported and leaves no file at all', async () => {
    const { folder, files, saved } = service();
    const data = randomBytes(5000);
    const tampered = Uint8Array.from(data);
    tampered[1234] ^= 0xff;
    expect(await receive(files, 'a.bin', data, tampered)).toEqual({ ok: false, reason: expect.stringMatching(/SHA-256 does not match/) });
    expect(readdirSync(folder)).toEqual([]);
    expect(saved).toEqual([]);
  });

  it('a truncated transfer is reported and leaves no file', async () => {
    const { folder, files } = service();
    const data = randomBytes(5000);
    expect(await receive(files, 'a.bin', data, data.subarray(0, 4000))).toEqual({ ok: false, reason: 'truncated: 4000 of 5000 bytes' });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a file over the cap before any byte, and more bytes than announced', async () => {
    const { folder, files } = service(1000);
    await expect(files.begin('big.iso', 1001)).rejects.toThrow(/limit/);
    const token = await files.begin('small.txt', 10);
    await expect(files.write(token, new Uint8Array(11))).rejects.toThrow(/more bytes than announced/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('abortAll (the session ended) deletes every partial file', async () => {
    const { folder, files } = service();
    const a = await files.begin('a.txt', 100);
    await files.write(a, new Uint8Array(50));
    await files.begin('b.txt', 100);
    expect(readdirSync(folder)).toHaveLength(2);
    await files.abortAll();
    expect(readdirSync(folder)).toEqual([]);
  });
});
