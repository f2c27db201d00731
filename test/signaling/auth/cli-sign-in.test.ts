import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { TestClient } from '../../support/signaling-client';
import { CookieJar, me, signIn } from './oidc-flow';

/** The built standalone server (npm test builds first), started as a user would. */
async function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const proc = spawn(process.execPath, ['dist/signaling/cli.mjs', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for await (const line of createInterface({ input: proc.stdout! })) {
    const m = /^PeerDesk signaling on (\S+) \(WebSocket (\S+)\)/.exec(line);
    if (m) return { proc, url: m[1], wsUrl: m[2] };
  }
  throw new Error('the server did not start');
}

describe('peerdesk-signaling --dev-idp', () => {
  it('runs the whole sign-in with one command, and --require-sign-in comes from the environment', async () => {
    const { proc, url, wsUrl } = await startCli(['--port', '0', '--dev-idp', '--log-level', 'silent'], { PEERDESK_REQUIRE_SIGN_IN: '1' });
    const jar = new CookieJar();
    expect(await me(jar, url)).toMatchObject({ enabled: true, signedIn: false, requireSignIn: true });
    expect((await signIn(jar, url)).status).toBe(303);
    expect(await me(jar, url)).toMatchObject({ signedIn: true, name: 'Test Technician', org: 'Example IT' });
    const anonymous = await TestClient.connect(wsUrl);
    anonymous.send({ type: 'viewer.join', v: 1, code: '123456789', pin: '123456', name: 'Andy' });
    expect(await anonymous.next('error')).toMatchObject({ code: 'SIG_ERR_SIGN_IN_REQUIRED' });
    anonymous.close();
    proc.kill('SIGTERM');
    expect((await once(proc, 'exit'))[0]).toBe(0);
  });
});
