import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer } from '../../signaling/server';
import { TestClient, pairedSession } from '../support/signaling-client';

let server: RunningSignalingServer;
beforeAll(async () => {
  server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), maxRejectedMessages: 5, metricsListen: '127.0.0.1:0' });
});
afterAll(() => server.close());

const metricValue = async (name: string, label: string) => {
  const text = await (await fetch(server.metricsUrl!)).text();
  const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(label));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('malformed frames', () => {
  const cases: Array<[string, unknown, string]> = [
    ['broken JSON', '{"type": "host.open",', 'SIG_ERR_BAD_JSON'],
    ['a JSON array', '[1,2,3]', 'SIG_ERR_UNKNOWN_TYPE'],
    ['an unknown type', { type: 'admin.grantControl' }, 'SIG_ERR_UNKNOWN_TYPE'],
    ['a missing field', { type: 'viewer.join', v: 1, code: '123456789', name: 'x' }, 'SIG_ERR_BAD_MESSAGE'],
    ['an extra field', { type: 'host.open', v: 1, admin: true }, 'SIG_ERR_BAD_MESSAGE'],
    ['a short code', { type: 'viewer.join', v: 1, code: '1234', pin: '123456', name: 'x' }, 'SIG_ERR_BAD_MESSAGE'],
    [
      'a name with control characters',
      { type: 'viewer.join', v: 1, code: '123456789', pin: '123456', name: 'a\u202eb' },
      'SIG_ERR_BAD_MESSAGE',
    ],
    ...['Contoso\u200bIT', 'Contoso IT\u200e', '\u2066Helpdesk', 'Help\u3164desk', 'IT\u00adDesk', 'Tech\u2028Tina'].map(
      (name) =>
        [
          `an invisible character in the name ${JSON.stringify(name)}`,
          { type: 'viewer.join', v: 1, code: '123456789', pin: '123456', name },
          'SIG_ERR_BAD_MESSAGE',
        ] as [string, unknown, string],
    ),
    ['a wrong protocol version', { type: 'host.open', v: 99 }, 'SIG_ERR_BAD_MESSAGE'],
    ['a signal that is not a WebRTC signal', { type: 'signal', data: { type: 'consent.granted' } }, 'SIG_ERR_BAD_MESSAGE'],
    ['an oversize frame', JSON.stringify({ type: 'signal', data: { type: 'offer', sdp: 'x'.repeat(70_000) } }), 'SIG_ERR_TOO_LARGE'],
  ];
  for (const [what, frame, code] of cases) {
    it(`rejects ${what} with ${code} and keeps the connection usable`, async () => {
      const c = await TestClient.connect(server.wsUrl);
      c.send(frame);
      const err = await c.next('error');
      expect(err.code).toBe(code);
      expect(err.message.length).toBeGreaterThan(5);
      c.send({ type: 'host.open', v: 1 });
      await c.next('host.opened');
      c.close();
    });
  }

  it('rejects binary frames', async () => {
    const c = await TestClient.connect(server.wsUrl);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.next('error')).code).toBe('SIG_ERR_BAD_MESSAGE');
    c.close();
  });

  it('counts rejected frames by reason in /metrics', async () => {
    const before = await metricValue('peerdesk_signaling_rejected_messages_total', 'SIG_ERR_BAD_JSON');
    const c = await TestClient.connect(server.wsUrl);
    c.send('nope');
    await c.next('error');
    expect(await metricValue('peerdesk_signaling_rejected_messages_total', 'SIG_ERR_BAD_JSON')).toBe(before + 1);
    c.close();
  });

  it('closes a connection after repeated abuse, and the server keeps serving others', async () => {
    const abuser = await TestClient.connect(server.wsUrl);
    for (let i = 0; i < 6; i++) abuser.send('garbage');
    expect((await abuser.closed).code).toBe(1008);
    const { host, viewer } = await pairedSession(server.wsUrl);
    host.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
    await viewer.next('signal');
    host.close();
    viewer.close();
  });

  it('does not relay a forged signal body from a paired peer', async () => {
    const { host, viewer } = await pairedSession(server.wsUrl);
    viewer.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0', grantControl: true } });
    expect((await viewer.next('error')).code).toBe('SIG_ERR_BAD_MESSAGE');
    expect(await host.nothing('signal')).toBe(true);
    host.close();
    viewer.close();
  });
});
