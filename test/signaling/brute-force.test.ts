import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient } from '../support/signaling-client';

let server: RunningSignalingServer | undefined;
afterEach(async () => server?.close());

async function openSession(s: RunningSignalingServer) {
  const host = await TestClient.connect(s.wsUrl);
  host.send({ type: 'host.open', v: 1 });
  return { host, opened: await host.next('host.opened') };
}
const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');

describe('PIN brute force', () => {
  it('locks a code after 5 wrong PINs: even the right PIN is then refused', async () => {
    // A generous per-address allowance isolates the per-code lock.
    server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), joinFailuresBeforeBackoff: 100 });
    const { host, opened } = await openSession(server);
    const guesser = await TestClient.connect(server.wsUrl);
    for (let i = 0; i < 5; i++) {
      guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: wrongPin(opened.pin), name: 'Guess' });
      expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    }
    guesser.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Guess' });
    expect((await guesser.next('error')).code).toBe('SIG_ERR_JOIN_FAILED');
    expect(await host.nothing('join.request')).toBe(true);
    host.close();
    guesser.close();
  });

  it('answers a wrong PIN and an unknown code with the same error', async () => {
    server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), joinFailuresBeforeBackoff: 100 });
    const { host, opened } = await openSession(server);
    const c = await TestClient.connect(server.wsUrl);
    c.send({ type: 'viewer.join', v: 1, code: opened.code, pin: wrongPin(opened.pin), name: 'A' });
    const wrong = await c.next('error');
    const unknownCode = opened.code === '000000000' ? '000000001' : '000000000';
    c.send({ type: 'viewer.join', v: 1, code: unknownCode, pin: '123456', name: 'A' });
    const unknown = await c.next('error');
    expect(unknown).toEqual(wrong);
    host.close();
    c.close();
  });
  // The per-address backoff: exact waits in address-limits.test.ts, the server's use of it in
  // abuse-limits.test.ts.
});
