import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningSignalingServer } from '../../signaling/server';
import { launchChromium } from '../support/browser';
import { cookieFor, freshRecordingsDir, start, TINA } from '../signaling/recordings/recordings-http';

/**
 * Recordings end to end in Chromium: a signed-in technician's page records a canvas with the browser's own
 * MediaRecorder (a real WebM), hashes it and hands it to `renderer/recordings/upload-recording.ts`; an admin's
 * console lists it and plays it in its `<video>`, which reads the file through Range requests.
 */
let server: RunningSignalingServer;
let browser: Browser;
let helper: string;

beforeAll(async () => {
  server = await start({ recordingsDir: freshRecordingsDir(), staticDir: 'dist/renderer' });
  browser = await launchChromium({ display: process.env.DISPLAY ?? ':0' });
  // The helper as the renderer bundles it; injected into the page, which is why its context bypasses the CSP.
  const out = await build({
    entryPoints: ['renderer/recordings/upload-recording.ts'],
    bundle: true,
    format: 'iife',
    globalName: 'peerdeskRecordings',
    write: false,
    target: 'chrome120',
  });
  helper = out.outputFiles[0].text;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(email: string, admin: boolean, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const [name, ...value] = (await cookieFor(server, email, admin)).split('=');
  await context.addCookies([{ name, value: value.join('='), url: server.url }]);
  return context;
}

type Helper = typeof import('../../renderer/recordings/upload-recording');

/** About a second of a moving canvas through MediaRecorder, its SHA-256, and what `uploadRecording` answered. */
function recordAndUpload(page: Page, recordingId: string) {
  return page.evaluate(async (recordingId) => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
    const g = canvas.getContext('2d')!;
    let frame = 0;
    const paint = () => {
      g.fillStyle = `hsl(${(frame++ * 7) % 360} 80% 50%)`;
      g.fillRect(0, 0, 320, 240);
    };
    paint();
    const timer = setInterval(paint, 40);
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    const started = performance.now();
    recorder.start();
    // The recording's length, not a wait for something to happen: the stop event is what is awaited.
    setTimeout(() => recorder.stop(), 1000);
    await stopped;
    clearInterval(timer);
    const blob = new Blob(chunks, { type: 'video/webm' });
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const durationMs = Math.round(performance.now() - started);
    const { uploadRecording } = (window as unknown as { peerdeskRecordings: Helper }).peerdeskRecordings;
    const result = await uploadRecording({ sessionId: '987654321', recordingId, blob, sha256, durationMs });
    return { result, size: blob.size, sha256 };
  }, recordingId);
}

/** A few WebM-looking bytes announced with `sha256`, through the helper. */
const uploadBytes = (page: Page, recordingId: string, sha256: string) =>
  page.evaluate(
    ({ recordingId, sha256 }) => {
      const blob = new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4])], { type: 'video/webm' });
      const { uploadRecording } = (window as unknown as { peerdeskRecordings: Helper }).peerdeskRecordings;
      return uploadRecording({ sessionId: '987654321', recordingId, blob, sha256, durationMs: 10 });
    },
    { recordingId, sha256 },
  );

describe('console recordings', () => {
  it('a technician’s page uploads a real WebM; the admin’s console lists it and plays it', async () => {
    const tech = await signedIn(TINA, false, { bypassCSP: true });
    const page = await tech.newPage();
    await page.goto(`${server.url}/console`);
    await page.addScriptTag({ content: helper });
    const id = 'rec_e2e_0123456789abcdef';
    const upload = await recordAndUpload(page, id);
    expect(upload.result).toBe('stored');
    expect(upload.size).toBeGreaterThan(1000);
    // Changed on the way (the announced hash is not the bytes'): refused, and the helper says so.
    expect(await uploadBytes(page, 'rec_e2e_changed_on_the_way', 'f'.repeat(64))).toBe('failed');
    await tech.close();

    const admin = await signedIn('boss@example.com', true);
    const console = await admin.newPage();
    const ranges: string[] = [];
    console.on('request', (r) => {
      if (r.url().includes(`/api/recordings/${id}`)) ranges.push(r.headers().range ?? 'none');
    });
    await console.goto(`${server.url}/console`);
    await console.waitForSelector('#recordings-status:not(.busy)');
    expect(await console.textContent('#recordings-title')).toBe('All recordings');
    const row = console.locator(`.recording-row[data-recording="${id}"]`);
    expect(await row.locator('.technician').textContent()).toBe(`tina${TINA}`);
    expect(await row.locator('.technician .email').textContent()).toBe(TINA);
    expect(await row.locator('.session').textContent()).toBe('987******');
    expect(await row.locator('.sha256 code').textContent()).toBe(`${upload.sha256.slice(0, 10)}…`);
    expect(await row.locator('.download').getAttribute('href')).toBe(`/api/recordings/${id}?download=1`);
    expect(await console.locator('.recording-row').count()).toBe(1);
    if (process.env.PEERDESK_SHOTS)
      await console.screenshot({ path: `${process.env.PEERDESK_SHOTS}/console-recordings.png`, fullPage: true });

    await row.locator('.play').click();
    await console.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('.recording-player video');
      // A frame decoded at the recorded size; duration is Infinity for MediaRecorder's files (no duration in their header).
      return v !== null && v.readyState >= 2 && v.videoWidth === 320 && v.duration > 0;
    });
    expect(ranges.some((r) => r.startsWith('bytes='))).toBe(true);
    if (process.env.PEERDESK_SHOTS)
      await console.screenshot({ path: `${process.env.PEERDESK_SHOTS}/console-recording-playing.png`, fullPage: true });
    expect(await row.locator('.play').textContent()).toBe('Hide');
    await admin.close();
  }, 120_000);

  it('the helper says not-kept when the server keeps no recordings', async () => {
    const off = await start({ staticDir: 'dist/renderer' });
    try {
      const context = await browser.newContext({ bypassCSP: true });
      const [name, ...value] = (await cookieFor(off, TINA)).split('=');
      await context.addCookies([{ name, value: value.join('='), url: off.url }]);
      const page = await context.newPage();
      await page.goto(`${off.url}/console`);
      await page.addScriptTag({ content: helper });
      expect(await uploadBytes(page, 'rec_e2e_not_kept_0001', 'e'.repeat(64))).toBe('not-kept');
      await page.waitForSelector('#recordings.recordings-off #recordings-status:not(.busy)');
      expect(await page.textContent('#recordings-status')).toMatch(/--recordings-dir/);
      await context.close();
    } finally {
      await off.close();
    }
  }, 120_000);
});
