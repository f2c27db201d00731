import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORDING_MESSAGE_BYTES } from '../../protocol/recording-messages';
import { E2EHarness } from '../support/e2e-harness';
import { waitForDecodedFrames, waitForVideoColor } from '../support/video-probe';
import { freshAuditUrl } from '../signaling/audit/audit-db';
import { reportedRecords } from '../support/audit-records';

/**
 * Recordings with consent, end to end: real pages, real WebRTC, the real server's audit trail on SQLite, the saved
 * WebM read by Debian's ffprobe. Nothing is recorded before the person's Allow; every stop the issue names ends it.
 */
let harness: E2EHarness;
let auditDb: string;
beforeAll(async () => {
  auditDb = await freshAuditUrl('sqlite');
  harness = await E2EHarness.start({ auditDb });
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

/** Test instrumentation: counts MediaRecorder instances, so a test can prove none was ever made. */
const COUNT_RECORDERS = `
  window.__recorders = 0;
  const Original = window.MediaRecorder;
  window.MediaRecorder = class extends Original {
    constructor(...args) { super(...args); window.__recorders++; }
  };
`;

async function session(capture: 'screen' | 'window' = 'screen', windowName?: string) {
  const host = await harness.hostPage(capture);
  const viewer = await harness.viewerPage('', async (p) => {
    await p.addInitScript(COUNT_RECORDERS);
  });
  const downloads: Download[] = [];
  viewer.on('download', (d) => downloads.push(d));
  await E2EHarness.requestToJoin(host, viewer);
  if (windowName) await host.click(`[data-source-id^="window:"]:has-text("${windowName}")`);
  await host.click('#allow-view');
  await waitForDecodedFrames(viewer);
  await viewer.waitForSelector('#record:not([disabled])');
  await host.waitForSelector('#control-bar', { state: 'attached' });
  return { host, viewer, downloads };
}

/** Asks, the person allows, and a second of picture is recorded (the mark's clock has moved). */
async function startRecording(host: Page, viewer: Page) {
  await viewer.click('#record');
  await host.click('#allow-recording', { timeout: 15_000 });
  await viewer.waitForFunction(() => document.body.dataset.recording === 'on');
  await host.waitForSelector('#recording-mark:not([hidden])');
  // The encoder has given out its first chunk (it starts a moment after the recorder; later on a loaded machine).
  await viewer.waitForFunction(() => Number(document.body.dataset.recordingBytes ?? 0) > 0, undefined, { timeout: 30_000 });
}

const reported = (type: string, count: number, which?: (fields: Record<string, unknown>) => boolean) =>
  reportedRecords(auditDb, type, count, which);

/** The WebM and the chat file the viewer's browser downloaded, the WebM's bytes and what ffprobe reads in it. */
async function savedFiles(viewer: Page, downloads: Download[], reason: string) {
  await viewer.waitForFunction((r) => document.body.dataset.recording === `stopped:${r}`, reason, { timeout: 15_000 });
  await viewer.waitForFunction(() => Boolean(document.body.dataset.recordingSaved), undefined, { timeout: 30_000 });
  await expect.poll(() => downloads.length, { timeout: 15_000 }).toBe(2);
  const webm = downloads.find((d) => d.suggestedFilename().endsWith('.webm'))!;
  const chat = downloads.find((d) => d.suggestedFilename().endsWith('-chat.jsonl'))!;
  expect(webm.suggestedFilename()).toMatch(/^peerdesk-recording-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.webm$/);
  const bytes = readFileSync((await webm.path())!);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const probe = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=nb_read_frames,codec_name:format=duration',
        '-of',
        'json',
        (await webm.path())!,
      ],
      { encoding: 'utf8' },
    ),
  ) as { streams: { nb_read_frames: string; codec_name: string }[]; format: { duration?: string } };
  const chatLines = readFileSync((await chat.path())!, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { from: string; text: string });
  return { bytes, sha256, probe, chatLines };
}

/** Sends raw strings on the viewer's end of the recording channel, as a tampered page could. */
const channelSend = (viewer: Page, messages: string[]) =>
  viewer.evaluate((list) => {
    const ch = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.find((c) => c.label === 'recording')!;
    list.forEach((m) => ch.send(m));
  }, messages);

describe('recordings with consent', () => {
  it('nothing is recorded without the person’s Allow: Deny leaves no recorder, no download, a declined record', async () => {
    const { host, viewer, downloads } = await session();
    expect(await viewer.textContent('#record')).toBe('Record');
    await viewer.click('#record');
    await host.waitForSelector('#deny-recording');
    // Its own prompt, who asks and what is kept; Deny holds the focus, Allow waits.
    expect(await host.textContent('#recording-title')).toBe('Someone who says they are “Tina from IT” wants to record this session');
    expect(await host.textContent('#recording-what')).toContain('video of what you share, their marks and the chat — saved on their side');
    expect(await host.evaluate(() => document.activeElement?.id)).toBe('deny-recording');
    expect(await host.isDisabled('#allow-recording')).toBe(true);
    if (process.env.PEERDESK_SHOTS)
      await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-recording-prompt.png`, fullPage: true });
    await viewer.waitForFunction(() => document.body.dataset.recordingPhase === 'asking');
    await host.click('#deny-recording');
    await viewer.waitForFunction(() => document.body.dataset.recordingPhase === 'none');
    expect(await viewer.textContent('#recording-note')).toBe('The person declined recording.');
    expect(await host.isHidden('#recording-mark')).toBe(true);
    expect(await viewer.evaluate(() => (window as unknown as { __recorders: number }).__recorders)).toBe(0);
    // Asked again at once: the person is not asked (cool-down after a Deny), and still nothing records.
    await viewer.click('#record');
    await viewer.waitForFunction(() => document.getElementById('recording-note')?.textContent?.includes('ask again later'));
    expect(await host.$('#deny-recording')).toBeNull();
    expect(await host.evaluate(() => document.body.dataset.recordingLastRefusal)).toBe('REC_ERR_COOLDOWN');
    expect(await viewer.evaluate(() => (window as unknown as { __recorders: number }).__recorders)).toBe(0);
    const declined = await reported('recording', 2, (f) => f.action === 'declined');
    expect(declined.map((r) => r.reportedBy).sort()).toEqual(['host', 'viewer']);
    expect(downloads).toHaveLength(0);
    expect(await viewer.evaluate(() => document.body.dataset.recordingSaved)).toBeUndefined();
  }, 180_000);

  it('the person’s Stop on the red mark ends it; the WebM plays (ffprobe) and its SHA-256 is the audit record’s; chat beside it', async () => {
    const { host, viewer, downloads } = await session();
    await startRecording(host, viewer);
    expect(await host.textContent('#recording-mark')).toMatch(/^Recording \d+:\d\dStop recording$/);
    if (process.env.PEERDESK_SHOTS)
      await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-recording-mark.png`, fullPage: true });
    // Chat both ways while recording goes into the side file.
    await viewer.click('#toggle-chat');
    await viewer.fill('#chat-input', 'Click the blue button');
    await viewer.click('#chat-send');
    await host.click('#toggle-chat');
    await host.waitForSelector('#chat-list li');
    await host.fill('#chat-input', 'Done');
    await host.click('#chat-send');
    await viewer.waitForFunction(() => document.querySelectorAll('#chat-list li').length >= 2);
    // The mark's Stop is the same button the whole time (its clock ticks in place).
    const stop = await host.$('#stop-recording');
    await host.waitForFunction(() => document.querySelector('#recording-time')?.textContent !== '0:01', undefined, { timeout: 15_000 });
    expect(await stop!.evaluate((b) => b.isConnected)).toBe(true);
    await stop!.click();
    const { bytes, sha256, probe, chatLines } = await savedFiles(viewer, downloads, 'person');
    expect(await host.isHidden('#recording-mark')).toBe(true);
    expect(Number(probe.streams[0].nb_read_frames)).toBeGreaterThan(0);
    expect(Number(probe.format.duration)).toBeGreaterThan(0);
    expect(probe.streams[0].codec_name).toMatch(/^vp[89]$/);
    expect(chatLines).toEqual([
      { at: expect.any(String), from: 'technician', text: 'Click the blue button' },
      { at: expect.any(String), from: 'person', text: 'Done' },
    ]);
    const [saved] = await reported('recording.saved', 1, (f) => f.sha256 === sha256);
    expect(saved.reportedBy).toBe('viewer');
    expect(saved.fields.size).toBe(bytes.length);
    expect(Number(saved.fields.durationMs)).toBeGreaterThan(1000);
    const stopped = await reported('recording', 2, (f) => f.action === 'stopped' && f.recordingId === saved.fields.recordingId);
    expect(stopped.map((r) => [r.reportedBy, r.fields.reason]).sort()).toEqual([
      ['host', 'person'],
      ['viewer', 'person'],
    ]);
    await reported('recording', 2, (f) => f.recordingId === saved.fields.recordingId && (f.action === 'allowed' || f.action === 'started'));
  }, 240_000);

  it('taking control back stops the recording (and it is saved)', async () => {
    const { host, viewer, downloads } = await session();
    await viewer.click('#request-control');
    await harness.prompt.shown();
    harness.services.consent.grant();
    await viewer.waitForFunction(() => document.body.dataset.controlState === 'granted');
    await startRecording(host, viewer);
    await host.click('#revoke-control');
    const { probe } = await savedFiles(viewer, downloads, 'revoked');
    expect(await host.isHidden('#recording-mark')).toBe(true);
    expect(Number(probe.streams[0].nb_read_frames)).toBeGreaterThan(0);
    await reported('recording', 1, (f) => f.action === 'stopped' && f.reason === 'revoked');
  }, 240_000);

  it('the end of the session stops the recording, and the technician’s page still saves it', async () => {
    const { host, viewer, downloads } = await session();
    await startRecording(host, viewer);
    await host.click('#stop-sharing');
    await viewer.waitForFunction(() => document.body.dataset.viewerState === 'ended');
    const { probe, sha256 } = await savedFiles(viewer, downloads, 'session-ended');
    expect(Number(probe.format.duration)).toBeGreaterThan(0);
    await viewer.waitForFunction((sha) => document.querySelector('#log-list')?.textContent?.includes(`SHA-256 ${sha}`), sha256);
    // The person's page says so before its goodbye. (The technician's `recording.saved` comes after the server ended
    // the session, which takes reports only from a live session's sides: that hash is in the technician's log only.)
    await reported('recording', 1, (f) => f.action === 'stopped' && f.reason === 'session-ended');
  }, 240_000);

  it('sharing something else stops it; the person is asked again before another recording', async () => {
    await harness.openWindow('Red report', '#ff0000', '500x400+100+100');
    const green = await harness.openWindow('Green mail', '#00ff00', '500x400+700+300');
    const { host, viewer, downloads } = await session('window', 'Red report');
    await startRecording(host, viewer);
    await host.click('#switch-source');
    await host.click(`#switch-panel [data-source-id="window:${green.windowId}"]`);
    await host.click('#confirm-switch');
    await waitForVideoColor(viewer, [0, 255, 0]);
    await savedFiles(viewer, downloads, 'source-switched');
    expect(await host.isHidden('#recording-mark')).toBe(true);
    // Recording the new source takes a new Allow.
    await viewer.click('#record');
    await host.waitForSelector('#allow-recording');
    expect(await viewer.evaluate(() => document.body.dataset.recording)).toBe('stopped:source-switched');
  }, 240_000);

  it('refuses crafted recording messages with a code, and a valid request still reaches the prompt', async () => {
    const { host, viewer } = await session();
    await viewer.waitForFunction(() =>
      (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.some(
        (c) => c.label === 'recording' && c.readyState === 'open',
      ),
    );
    await channelSend(viewer, [
      'x'.repeat(MAX_RECORDING_MESSAGE_BYTES + 1),
      '{not json',
      JSON.stringify({ t: 'recording.state', id: 'aaaaaaaaaaaa', state: 'recording' }),
      JSON.stringify({ t: 'recording.request', id: '<img src=x onerror=alert(1)>' }),
      JSON.stringify({ t: 'recording.stop', id: 'aaaaaaaaaaaa' }),
    ]);
    await host.waitForFunction(() => document.body.dataset.recordingRefused === '5');
    expect(await host.evaluate(() => document.body.dataset.recordingLastRefusal)).toBe('REC_ERR_NOT_RECORDING');
    expect(await host.$('#allow-recording')).toBeNull();
    expect(await host.isHidden('#recording-mark')).toBe(true);
    // Five went in this second (burst 6): the next valid one is asked, and one more on top is busy, then rate-limited.
    await channelSend(viewer, [
      JSON.stringify({ t: 'recording.request', id: 'bbbbbbbbbbbb' }),
      JSON.stringify({ t: 'recording.request', id: 'cccccccccccc' }),
    ]);
    await host.waitForSelector('#allow-recording');
    await host.waitForFunction(() => Number(document.body.dataset.recordingRefused) === 6);
    expect(['REC_ERR_BUSY', 'REC_ERR_RATE_LIMITED']).toContain(await host.evaluate(() => document.body.dataset.recordingLastRefusal));
    expect(await host.isHidden('#recording-mark')).toBe(true);
    expect(await viewer.evaluate(() => (window as unknown as { __recorders: number }).__recorders)).toBe(0);
  }, 180_000);
});
