import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { recordingListSchema } from '../../../protocol/recordings';
import { CookieJar, signIn } from '../auth/oidc-flow';
import { filesIn, freshRecordingsDir, headersOnly, newId, putRecording, webmLike } from './recordings-http';

/** The built standalone server, started as a user would, with the dev provider's whole sign-in in front of the upload. */
async function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc = spawn(process.execPath, ['dist/signaling/cli.mjs', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for await (const line of createInterface({ input: proc.stdout! })) {
    const m = /^PeerDesk signaling on (\S+) \(WebSocket (\S+)\)/.exec(line);
    if (m) return { proc, url: m[1] };
  }
  throw new Error('the server did not start');
}

describe('peerdesk-signaling --recordings-dir', () => {
  it('keeps the upload of a technician signed in through the dev provider; the cap comes from the environment', async () => {
    const dir = freshRecordingsDir();
    const { proc, url } = await startCli(
      ['--port', '0', '--dev-idp', '--audit-db', 'off', '--log-level', 'silent', '--recordings-dir', dir],
      {
        PEERDESK_RECORDINGS_MAX_MIB: '1',
      },
    );
    try {
      const jar = new CookieJar();
      expect((await signIn(jar, url)).status).toBe(303);
      const server = { url } as Parameters<typeof putRecording>[0];
      const id = newId();
      expect((await putRecording(server, id, webmLike(2000), { cookie: jar.header(url) })).status).toBe(201);
      expect(filesIn(dir)).toEqual(expect.arrayContaining([`${id}.webm`, `${id}.json`]));
      const list = recordingListSchema.parse(await (await fetch(`${url}/api/recordings`, { headers: { cookie: jar.header(url) } })).json());
      expect(list.recordings.map((r) => [r.id, r.by.email])).toEqual([[id, 'tech@example.com']]);
      expect(await headersOnly(url, newId(), jar.header(url), 1024 * 1024 + 1)).toMatch(/^HTTP\/1\.1 413 .*\(1 MiB\)/s);
    } finally {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }
  });
});
