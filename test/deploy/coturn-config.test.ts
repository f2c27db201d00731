import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTurnCredential } from '../../signaling/turn-credentials';
import { freePort } from '../support/free-port';
import { stopProcess } from '../support/stop-process';

// Debian's coturn started with exactly deploy/coturn/turnserver.conf (only the secret filled in, and the
// listening address moved to loopback on the command line, which coturn lets override the file; logging as shipped).
const SECRET = 'peerdesk-deploy-test-secret';
let turn: ChildProcess;
let port: number;
/** What coturn wrote to its standard output (under systemd: the journal). */
let log = '';

beforeAll(async () => {
  port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-deploy-coturn-'));
  const conf = join(dir, 'turnserver.conf');
  const shipped = readFileSync('deploy/coturn/turnserver.conf', 'utf8');
  expect(shipped).toContain('static-auth-secret=CHANGE_ME_TO_A_LONG_RANDOM_SECRET');
  writeFileSync(conf, shipped.replace('CHANGE_ME_TO_A_LONG_RANDOM_SECRET', SECRET));
  turn = spawn(
    'turnserver',
    [
      '-c',
      conf,
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--no-tls',
      '--no-dtls',
      `--pidfile=${join(dir, 'turn.pid')}`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  turn.stdout!.on('data', (d: Buffer) => (log += d));
  // Readiness is the TCP listener accepting (coturn serves TURN over TCP too).
  await acceptsTcp(port, turn);
});
afterAll(() => stopProcess(turn));

async function acceptsTcp(port: number, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`coturn exited ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const probe = connect({ host: '127.0.0.1', port }, () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100)); // polling a port that has no event to await
  }
  throw new Error('coturn did not start listening');
}

let calls = 0;

/** coturn's own test client: allocate with a credential minted as the signaling server mints it, then bind a channel to `peer`. */
function allocateToward(peer: string, secret = SECRET): Promise<string> {
  // A label per call: user-quota would refuse a credential's fifth allocation (each client makes two or three).
  const { username, credential } = mintTurnCredential(secret, `deploy-test-${++calls}`, 300);
  const client = spawn('turnutils_uclient', [
    '-v',
    '-c',
    '-n',
    '1',
    '-u',
    username,
    '-w',
    credential,
    '-e',
    peer,
    '-r',
    '3480',
    '-p',
    String(port),
    '127.0.0.1',
  ]);
  let out = '';
  return new Promise((resolve) => {
    const done = () => {
      client.kill('SIGKILL');
      resolve(out);
    };
    const timer = setTimeout(done, 10_000);
    for (const stream of [client.stdout, client.stderr])
      stream.on('data', (d: Buffer) => {
        out += d;
        if (/channel bind: error|cb response received: \s*\n.*success|error 401/.test(out)) {
          clearTimeout(timer);
          done();
        }
      });
    client.once('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('deploy/coturn/turnserver.conf', () => {
  it('logs to standard output (the journal under systemd), not to syslog or files of its own', async () => {
    await allocateToward('127.0.0.1');
    expect(log).toContain('Relay ports initialization done');
    expect(log).toMatch(/turn server id=\d+ created/);
  });

  it('allocates for a credential minted with the shared secret, and refuses a forged one', async () => {
    expect(await allocateToward('127.0.0.1')).toMatch(/Received relay addr/);
    expect(await allocateToward('127.0.0.1', 'not-the-secret')).not.toMatch(/Received relay addr/);
  });

  for (const peer of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.5', '169.254.169.254', '100.64.0.1', '0.0.0.0']) {
    it(`refuses to relay toward ${peer}`, async () => {
      const out = await allocateToward(peer);
      expect(out).toMatch(/Received relay addr/); // the allocation itself works …
      expect(out).toMatch(/channel bind: error 403 \(Forbidden IP\)/); // … but not toward this address
    });
  }
});
