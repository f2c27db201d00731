import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingListSchema, recordingMetaSchema } from '../../../protocol/recordings';
import type { RunningSignalingServer } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';
import { allRecords, freshAuditUrl, openStore } from '../audit/audit-db';
import {
  cookieFor,
  filesIn,
  freshRecordingsDir,
  headersOnly,
  newId,
  OLLIE,
  putRecording,
  sha256Of,
  start,
  TINA,
  webmLike,
} from './recordings-http';

/**
 * `/api/recordings` on a real server with the dev identity provider: uploads by signed-in technicians (their
 * sealed session cookie, as the provider's login leaves it), the guards on them, and who may list and play what.
 */
const MiB = 1024 * 1024;
let server: RunningSignalingServer;
let dir: string;
let cookies: { admin: string; tina: string; ollie: string };

beforeAll(async () => {
  dir = freshRecordingsDir();
  server = await start({ recordingsDir: dir, recordingsMaxMib: 1 });
  cookies = {
    admin: await cookieFor(server, 'boss@example.com', true),
    tina: await cookieFor(server, TINA),
    ollie: await cookieFor(server, OLLIE),
  };
}, 30_000);
afterAll(() => server?.close());

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
const listAs = async (cookie: string) => recordingListSchema.parse(await (await get('/api/recordings', cookie)).json());
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('PUT /api/recordings/<id>', () => {
  it('keeps a signed-in technician’s WebM whose SHA-256 matches, with who sent it', async () => {
    const body = webmLike(4000);
    const id = newId();
    const res = await putRecording(server, id, body, { cookie: cookies.tina, durationMs: 2500 });
    expect(res.status).toBe(201);
    const meta = recordingMetaSchema.parse(await res.json());
    expect(meta).toMatchObject({ id, size: 4000, sha256: sha256Of(body), durationMs: 2500, session: { code: '123******' } });
    expect(meta.by).toMatchObject({ email: TINA, name: 'tina' });
    expect(readFileSync(join(dir, `${id}.webm`)).equals(body)).toBe(true);
    // The same id again is refused: a kept recording is never replaced.
    expect((await putRecording(server, id, webmLike(100), { cookie: cookies.tina })).status).toBe(409);
  });

  it('refuses a body whose SHA-256 is not the one announced (422) and keeps nothing', async () => {
    const before = filesIn(dir);
    const res = await putRecording(server, newId(), webmLike(5000), { cookie: cookies.tina, sha256: 'a'.repeat(64) });
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatch(/changed on the way/);
    expect(filesIn(dir)).toEqual(before);
  });

  it('refuses a file that is not WebM (415) and keeps nothing', async () => {
    const before = filesIn(dir);
    const res = await putRecording(server, newId(), Buffer.from('<html>not a video</html>'), { cookie: cookies.tina });
    expect(res.status).toBe(415);
    expect(filesIn(dir)).toEqual(before);
  });

  it('refuses a streamed body past the cap (413) once it is sent, and keeps nothing', async () => {
    const before = filesIn(dir);
    const chunk = webmLike(64 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= MiB + 128 * 1024) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const id = newId();
    const res = await fetch(`${server.url}/api/recordings/${id}`, {
      method: 'PUT',
      body,
      duplex: 'half',
      headers: {
        cookie: cookies.tina,
        origin: server.url,
        'x-peerdesk-session': '123456789',
        'x-recording-sha256': 'c'.repeat(64),
        'x-recording-duration-ms': '1000',
      },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/larger than this server keeps \(1 MiB\)/);
    expect(filesIn(dir)).toEqual(before);
  });

  it('refuses a declared length past the cap at once (413), before any byte of the body', async () => {
    const answer = await headersOnly(server.url, newId(), cookies.tina, 2 * MiB);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/connection: close/i);
  });

  it('refuses an unsigned upload (401), a cross-site or Origin-less one (403), and bad headers (400)', async () => {
    const body = webmLike(100);
    expect((await putRecording(server, newId(), body)).status).toBe(401);
    expect((await putRecording(server, newId(), body, { cookie: cookies.tina, origin: 'http://evil.example' })).status).toBe(403);
    expect((await putRecording(server, newId(), body, { cookie: cookies.tina, origin: null })).status).toBe(403);
    expect((await putRecording(server, newId(), body, { cookie: cookies.tina, session: '12345<b>' })).status).toBe(400);
    expect((await putRecording(server, 'short', body, { cookie: cookies.tina })).status).toBe(404);
    expect((await putRecording(server, newId(), body, { cookie: cookies.tina, durationMs: -1 })).status).toBe(400);
  });

  it('names the live session by its audit id when the uploader is its admitted technician (the code only masked)', async () => {
    const host = await TestClient.connect(server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    const viewer = await TestClient.connect(server.wsUrl, { headers: { cookie: cookies.ollie } });
    viewer.send({ type: 'viewer.join', v: 1, code: opened.code, pin: opened.pin, name: 'Ollie' });
    host.send({ type: 'host.decide', requestId: (await host.next('join.request')).requestId, allow: true });
    await viewer.next('join.accepted');
    const mine = await putRecording(server, newId(), webmLike(100), { cookie: cookies.ollie, session: opened.code });
    const notMine = await putRecording(server, newId(), webmLike(100), { cookie: cookies.tina, session: opened.code });
    host.close();
    viewer.close();
    const masked = `${opened.code.slice(0, 3)}******`;
    expect(recordingMetaSchema.parse(await mine.json()).session).toEqual({ id: expect.stringMatching(/^[\w-]{16}$/), code: masked });
    expect(recordingMetaSchema.parse(await notMine.json()).session).toEqual({ code: masked });
  });
});

describe('GET /api/recordings', () => {
  it('lists a technician’s own recordings only, and another’s is a 404 to them', async () => {
    const theirs = newId();
    expect((await putRecording(server, theirs, webmLike(300), { cookie: cookies.tina })).status).toBe(201);
    const ollie = await listAs(cookies.ollie);
    expect(ollie.scope).toBe('own');
    expect(ollie.recordings.every((r) => r.by.email === OLLIE)).toBe(true);
    expect((await get(`/api/recordings/${theirs}`, cookies.ollie)).status).toBe(404);
    expect((await get(`/api/recordings/${theirs}`, cookies.tina)).status).toBe(200);
    expect((await get(`/api/recordings/${theirs}`)).status).toBe(401);
    expect((await get('/api/recordings')).status).toBe(401);
  });

  it('lists every recording to an admin, newest first, and serves byte ranges of one', async () => {
    const body = webmLike(10_000);
    const id = newId();
    expect((await putRecording(server, id, body, { cookie: cookies.ollie })).status).toBe(201);
    const all = await listAs(cookies.admin);
    expect(all.scope).toBe('all');
    expect(all.recordings[0].id).toBe(id);
    expect(new Set(all.recordings.map((r) => r.by.email))).toEqual(new Set([TINA, OLLIE]));

    const whole = await get(`/api/recordings/${id}?download=1`, cookies.admin);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-disposition')).toMatch(
      /^attachment; filename="peerdesk-recording_\d{4}-\d\d-\d\dT[\d-]+Z_[\w-]+\.webm"$/,
    );
    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true);

    const part = await get(`/api/recordings/${id}`, cookies.admin, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/10000');
    expect(part.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    const tail = await get(`/api/recordings/${id}`, cookies.admin, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(body.subarray(9990))).toBe(true);
    const past = await get(`/api/recordings/${id}`, cookies.admin, { range: 'bytes=20000-' });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */10000');
  });
});

describe('recordings and the rest of the server', () => {
  it('answers 404 with the reason when the server keeps no recordings', async () => {
    const off = await start();
    try {
      const res = await putRecording(off, newId(), webmLike(100), { cookie: await cookieFor(off, TINA) });
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toMatch(/--recordings-dir/);
      expect((await fetch(`${off.url}/api/recordings`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('records recording.stored (who, size, SHA-256, duration) in the audit trail', async () => {
    const auditDb = await freshAuditUrl('sqlite');
    const withTrail = await start({ recordingsDir: freshRecordingsDir(), auditDb });
    const body = webmLike(1234);
    const id = newId();
    expect((await putRecording(withTrail, id, body, { cookie: await cookieFor(withTrail, TINA), durationMs: 777 })).status).toBe(201);
    await withTrail.close(); // writes what the trail holds
    const store = openStore(auditDb);
    const stored = (await allRecords(store)).filter((r) => r.type === 'recording.stored');
    await store.close();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ technician: TINA, reportedBy: 'server', code: '123******' });
    expect(JSON.parse(stored[0].fields)).toMatchObject({ recording: id, size: 1234, sha256: sha256Of(body), durationMs: 777 });
  });
});
