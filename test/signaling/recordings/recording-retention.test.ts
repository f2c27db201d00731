import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingListSchema } from '../../../protocol/recordings';
import { startRecordingRetention } from '../../../signaling/recordings/recording-retention';
import { RecordingStore } from '../../../signaling/recordings/recording-store';
import type { RunningSignalingServer } from '../../../signaling/server';
import { cookieFor, filesIn, freshRecordingsDir, newId, putRecording, start, TINA, webmLike } from './recordings-http';

/**
 * Retention: recordings uploaded to a real server, then the purge run with a clock moved forward (injected), as the
 * server's hourly schedule runs it. What is past the retention goes (file and metadata), the rest stays listed.
 */
const DAY_MS = 24 * 60 * 60_000;
const log = pino({ level: 'silent' });
let server: RunningSignalingServer;
let dir: string;
let cookie: string;

beforeAll(async () => {
  dir = freshRecordingsDir();
  server = await start({ recordingsDir: dir, auditRetentionDays: 30 });
  cookie = await cookieFor(server, TINA);
}, 30_000);
afterAll(() => server?.close());

const listed = async () =>
  recordingListSchema
    .parse(await (await fetch(`${server.url}/api/recordings`, { headers: { cookie } })).json())
    .recordings.map((r) => r.id);

describe('recordings retention', () => {
  it('deletes recordings older than the audit trail’s retention and keeps younger ones', async () => {
    const id = newId();
    expect((await putRecording(server, id, webmLike(500), { cookie })).status).toBe(201);
    const store = await RecordingStore.open(dir, log);
    const at = (days: number) => startRecordingRetention(store, { days: 30, log, now: () => Date.now() + days * DAY_MS, everyMs: DAY_MS });

    const early = at(29);
    expect(await early.purge()).toBe(0);
    early.stop();
    expect(await listed()).toContain(id);

    const late = at(31);
    expect(await late.purge()).toBe(1);
    late.stop();
    expect(await listed()).not.toContain(id);
    expect(filesIn(dir)).not.toContain(`${id}.webm`);
    expect((await fetch(`${server.url}/api/recordings/${id}`, { headers: { cookie } })).status).toBe(404);
  });

  it('deletes a file a crash left without metadata once it is past the retention, not before', async () => {
    const orphan = join(dir, `${newId()}.webm`);
    writeFileSync(orphan, webmLike(100));
    const store = await RecordingStore.open(dir, log);
    expect(await store.purgeBefore(new Date(Date.now() - DAY_MS))).toBe(0);
    expect(filesIn(dir)).toContain(orphan.split('/').pop());
    utimesSync(orphan, new Date(Date.now() - 3 * DAY_MS), new Date(Date.now() - 3 * DAY_MS));
    await store.purgeBefore(new Date(Date.now() - DAY_MS));
    expect(filesIn(dir)).not.toContain(orphan.split('/').pop());
  });
});
