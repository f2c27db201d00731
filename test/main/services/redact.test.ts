import { describe, expect, it, vi } from 'vitest';
import { redact } from '../../../main/services/redact';

vi.mock('electron-log/main', () => ({ default: {} }));
const { pinoToAppLog } = await import('../../../main/adapters/app-log');

describe('logs carry no secrets', () => {
  it('redacts PINs, TURN credentials and tokens, in fields and inside text', () => {
    const out = redact({
      msg: 'invite http://192.168.1.20:8787/#join?code=123456789&pin=402913',
      pin: '402913',
      iceServers: [{ urls: 'turn:127.0.0.1:3478', username: '1700000000:peer', credential: 'c2VjcmV0' }],
      ping: 12,
    });
    expect(JSON.stringify(out)).not.toMatch(/402913|c2VjcmV0/);
    expect(out).toMatchObject({ pin: '[redacted]', ping: 12, iceServers: [{ credential: '[redacted]', username: '1700000000:peer' }] });
  });

  it('passes the embedded server’s JSON lines through the same log, by level', () => {
    const seen: unknown[][] = [];
    const log = {
      info: (...a: unknown[]) => seen.push(['info', ...a]),
      warn: (...a: unknown[]) => seen.push(['warn', ...a]),
      error: vi.fn(),
    };
    const sink = pinoToAppLog(log as never);
    sink.write('{"level":40,"msg":"join refused","reason":"bad pin"}\n');
    sink.write('not json\n');
    expect(seen).toEqual([
      ['warn', '[signaling]', 'join refused', { reason: 'bad pin' }],
      ['info', '[signaling]', 'not json'],
    ]);
  });
});
