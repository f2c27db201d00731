import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSignalingServer } from '../../signaling/server';
import { cookieFor, freshRecordingsDir, newId, sha256Of, start, TINA, webmLike } from './recordings/recordings-http';

/**
 * With --recordings-dir the server's request timeout is long enough for an upload; only the upload gets it. A short
 * header timeout (500 ms → every other request must have arrived within 1 s) keeps the tests quick; the senders below
 * are slower than that by construction (each byte or chunk waits first), so no assert reads a clock.
 */
let server: RunningSignalingServer;
let cookie: string;
beforeAll(async () => {
  server = await start({ recordingsDir: freshRecordingsDir(), recordingsMaxMib: 1, headersTimeoutMs: 500 });
  cookie = await cookieFor(server, TINA);
}, 30_000);
afterAll(() => server?.close());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `head`, then the body a byte every 100 ms; resolves with how many body bytes went out before the server closed. */
function slowLoris(head: string, bodyBytes: number): Promise<{ sent: number; closedEarly: boolean }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let closed = false;
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('close', () => (closed = true));
    socket.once('connect', async () => {
      socket.write(head);
      let sent = 0;
      while (!closed && sent < bodyBytes) {
        await pause(100);
        if (!closed) socket.write('x');
        sent++;
      }
      socket.destroy();
      resolve({ sent, closedEarly: sent < bodyBytes });
    });
    socket.once('timeout', reject);
  });
}

describe('request deadline while recordings are kept', () => {
  it('a slow-loris body on an ordinary route is still cut at the short deadline', async () => {
    // 300 bytes at 10 a second would take 30 s; the short deadline is 1 s.
    const head = `POST /auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 300\r\n\r\n`;
    const result = await slowLoris(head, 300);
    expect(result.closedEarly).toBe(true);
  }, 60_000);

  it('an upload whose body takes longer than that deadline is kept', async () => {
    const chunks = Array.from({ length: 12 }, (_, i) => (i === 0 ? webmLike(2000) : new Uint8Array(2000).fill(i)));
    const whole = Buffer.concat(chunks);
    let i = 0;
    // 12 chunks, each after 150 ms: at least 1.8 s of body, longer than the 1 s every other request gets.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await pause(150);
        if (i < chunks.length) controller.enqueue(chunks[i++]);
        else controller.close();
      },
    });
    const res = await fetch(`${server.url}/api/recordings/${newId()}`, {
      method: 'PUT',
      headers: {
        cookie,
        origin: server.url,
        'content-type': 'video/webm',
        'x-peerdesk-session': '123456789',
        'x-recording-sha256': sha256Of(whole),
        'x-recording-duration-ms': '1800',
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
  }, 60_000);
});
