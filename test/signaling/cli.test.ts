import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../support/signaling-client';

/** The built standalone server (npm test builds first), configured by flags and environment like a user would. */
async function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc = spawn(process.execPath, ['dist/signaling/cli.mjs', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: proc.stdout! });
  for await (const line of lines) {
    const m = /^PeerDesk signaling on (\S+) \(WebSocket (\S+)\)/.exec(line);
    if (m) return { proc, url: m[1], wsUrl: m[2] };
  }
  throw new Error('the server did not start');
}

describe('peerdesk-signaling CLI', () => {
  it('takes flags and environment, and on SIGTERM tells connected peers before exiting 0', async () => {
    const { proc, url, wsUrl } = await startCli(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'], {
      PEERDESK_SESSION_TTL: '42',
      PEERDESK_PUBLIC_URL: 'https://help.example.org',
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const host = await TestClient.connect(wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    expect(opened.inviteUrl.startsWith('https://help.example.org/#join?code=')).toBe(true);
    expect(opened.expiresAt - Date.now()).toBeLessThanOrEqual(42_000);
    expect((await fetch(`${url}/`)).status).toBe(200); // serves the built renderer by default
    proc.kill('SIGTERM');
    expect((await host.next('session.ended')).reason).toBe('server-shutdown');
    const [code] = await once(proc, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a malformed flag with a clear message', async () => {
    const proc = spawn(process.execPath, ['dist/signaling/cli.mjs', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const [code] = await once(proc, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/not a non-negative integer: eighty/);
  });
});
