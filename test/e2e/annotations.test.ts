import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_HEX, MAX_ANNOTATION_MESSAGE_BYTES } from '../../protocol/annotation-messages';
import { PREVIEW_FRAME_RATE } from '../../renderer/annotations/host-annotations';
import { E2EHarness } from '../support/e2e-harness';
import { videoPoint, watchingSession } from '../support/control-session';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start();
});
afterEach(() => harness.reset());
afterAll(() => harness.stop());

type Box = { left: number; top: number; right: number; bottom: number };
const GREEN = COLOR_HEX.green;

/**
 * Where `hex` shows in a PNG screenshot: the PNG is decoded by an image decoder of its own (a blank page's
 * createImageBitmap), never read back from the host page's canvas, so what is checked is what was on screen.
 */
async function colorBox(decoder: Page, png: Buffer, hex: string): Promise<Box | undefined> {
  return decoder.evaluate(
    async ([b64, want]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const c = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const target = [1, 3, 5].map((i) => parseInt(want.slice(i, i + 2), 16));
      let box: { left: number; top: number; right: number; bottom: number } | undefined;
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          if (target.some((t, k) => Math.abs(data[i + k]! - t) > 24)) continue;
          box = box
            ? { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) }
            : { left: x, top: y, right: x, bottom: y };
        }
      return box;
    },
    [png.toString('base64'), hex] as const,
  );
}

/**
 * A blank page of the viewer's browser to decode screenshots in. Opening it puts it in front, and the viewer's page
 * behind it then answers each click and pointer move about a second late (measured: 2 s a click, 5 s a drag): the
 * viewer goes back in front; decoding needs no frames of its own.
 */
async function decoderBeside(viewer: Page): Promise<Page> {
  const decoder = await viewer.context().newPage();
  await viewer.bringToFront();
  return decoder;
}

/** The host preview's picture rectangle (inside its letterbox), relative to the stage element. */
async function hostPicture(host: Page) {
  return host.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('#annotation-preview')!;
    const scale = Math.min(v.clientWidth / v.videoWidth, v.clientHeight / v.videoHeight);
    const width = v.videoWidth * scale;
    const height = v.videoHeight * scale;
    return { left: (v.clientWidth - width) / 2, top: (v.clientHeight - height) / 2, width, height };
  });
}

const drawn = (host: Page) => host.evaluate(() => Number(document.body.dataset.annotationsDrawn ?? 0));
const waitDrawn = (host: Page, n: number) => host.waitForFunction((n) => Number(document.body.dataset.annotationsDrawn ?? 0) >= n, n);

async function dragRect(viewer: Page, from: [number, number], to: [number, number]) {
  const a = await videoPoint(viewer, ...from);
  const b = await videoPoint(viewer, ...to);
  await viewer.mouse.move(a.x, a.y);
  await viewer.mouse.down();
  await viewer.mouse.move(b.x, b.y, { steps: 4 });
  await viewer.mouse.up();
}

async function pickGreenPinnedBox(viewer: Page) {
  await viewer.click('#annotate-rect');
  await viewer.click('#annotate-color-green');
  await viewer.click('#annotate-pin');
}

const channelSend = (viewer: Page, messages: string[]) =>
  viewer.evaluate((list) => {
    const ch = (window as unknown as { __pdChannels: RTCDataChannel[] }).__pdChannels.find((c) => c.label === 'annotations')!;
    list.forEach((m) => ch.send(m));
  }, messages);

describe('pointer and annotations', () => {
  it('land where the technician drew them on the person’s preview, at three viewer sizes, without control', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const decoder = await decoderBeside(viewer);
    await host.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#annotation-preview')?.videoWidth ?? 0) > 0);
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'true');
    await pickGreenPinnedBox(viewer);
    const cases: Array<{ size: { width: number; height: number }; from: [number, number]; to: [number, number] }> = [
      { size: { width: 1100, height: 720 }, from: [0.2, 0.3], to: [0.6, 0.7] },
      // Tall: bars above and below the picture. Wide: bars left and right.
      { size: { width: 640, height: 900 }, from: [0.1, 0.1], to: [0.45, 0.9] },
      { size: { width: 1500, height: 520 }, from: [0.55, 0.15], to: [0.9, 0.5] },
    ];
    for (const { size, from, to } of cases) {
      await viewer.setViewportSize(size);
      const before = await drawn(host);
      await viewer.click('#annotate-clear');
      await waitDrawn(host, before + 1);
      await dragRect(viewer, from, to);
      await waitDrawn(host, before + 2);
      const png = await host.locator('.annotation-stage').screenshot();
      if (process.env.PEERDESK_SHOTS) {
        await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-annotations-${size.width}.png`, fullPage: true });
        await viewer.screenshot({ path: `${process.env.PEERDESK_SHOTS}/viewer-annotations-${size.width}.png` });
      }
      const box = await colorBox(decoder, png, GREEN);
      const pic = await hostPicture(host);
      const at = (n: number, origin: number, span: number) => origin + n * (span - 1);
      const expected = {
        left: at(from[0], pic.left, pic.width),
        top: at(from[1], pic.top, pic.height),
        right: at(to[0], pic.left, pic.width),
        bottom: at(to[1], pic.top, pic.height),
      };
      expect(box, `a green box at ${size.width}x${size.height}`).toBeDefined();
      // The outline is a few pixels wide around the exact line; one viewer pixel is under one preview pixel.
      for (const edge of ['left', 'top', 'right', 'bottom'] as const)
        expect(Math.abs(box![edge] - expected[edge]), `${edge} at ${size.width}x${size.height}`).toBeLessThanOrEqual(4);
    }
    // Never needed control: none was asked for or granted.
    expect(await host.evaluate(() => document.body.dataset.controlState)).not.toBe('granted');
    expect(await viewer.evaluate(() => document.body.dataset.controlState)).not.toBe('granted');
  }, 300_000);

  it('refuses crafted messages (huge, fast, out of range, markup) with a code and keeps drawing valid ones', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'true');
    const rect = (extra: object) => JSON.stringify({ t: 'mark', id: 1, color: 'red', pinned: true, ...extra });
    await channelSend(viewer, [
      'x'.repeat(MAX_ANNOTATION_MESSAGE_BYTES + 1),
      rect({ shape: { kind: 'rect', from: { x: -0.5, y: 0 }, to: { x: 3, y: 1 } } }),
      rect({ shape: { kind: 'text', at: { x: 0.5, y: 0.5 }, text: '<img src=x onerror="window.__pwned=1">' } }),
      JSON.stringify({ t: 'keydown', code: 'KeyA' }),
      '{not json',
    ]);
    await host.waitForFunction(() => document.body.dataset.annotationsRefused === '5');
    expect(await drawn(host)).toBe(0);
    expect(await host.$$eval('#annotations-panel img', (els) => els.length)).toBe(0);
    expect(await host.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Far faster than anyone moves a mouse: everything over the burst is refused as rate, the page carries on.
    const flood = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ t: 'laser', x: (i % 100) / 100, y: 0.5, color: 'red' }));
    await channelSend(viewer, flood);
    // Every one is accounted for, drawn or refused; how many pass depends on how fast the host reads (the limiter's
    // exact figures are test/renderer/annotations/annotation-gate.test.ts's, on a clock of its own).
    await host.waitForFunction(
      () => Number(document.body.dataset.annotationsRefused) + Number(document.body.dataset.annotationsDrawn ?? 0) === 1505,
    );
    expect(await host.evaluate(() => document.body.dataset.annotationsLastRefusal)).toBe('ANNOT_ERR_RATE');
    expect(await host.evaluate(() => Number(document.body.dataset.annotationsRefused))).toBeGreaterThan(5);
    await host.waitForSelector('#stop-sharing');
  }, 240_000);

  it('draws nothing once the person turns marks off, and the technician’s tools say so', async () => {
    const { host, viewer } = await watchingSession(harness, 'screen');
    const decoder = await decoderBeside(viewer);
    await host.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#annotation-preview')?.videoWidth ?? 0) > 0);
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'true');
    await pickGreenPinnedBox(viewer);
    await dragRect(viewer, [0.2, 0.2], [0.5, 0.5]);
    // Every other tool through the real tool row: an arrow, a freehand stroke, a label, each in its own colour.
    await viewer.click('#annotate-arrow');
    await viewer.click('#annotate-color-red');
    await dragRect(viewer, [0.8, 0.15], [0.55, 0.4]);
    await viewer.click('#annotate-freehand');
    await viewer.click('#annotate-color-yellow');
    await dragRect(viewer, [0.6, 0.7], [0.9, 0.85]);
    await viewer.click('#annotate-text');
    await viewer.fill('#annotation-label', 'Click Save here');
    await viewer.click('#annotate-color-blue');
    const at = await videoPoint(viewer, 0.15, 0.7);
    await viewer.mouse.click(at.x, at.y);
    await waitDrawn(host, 4);
    const shot = await host.locator('.annotation-stage').screenshot();
    for (const color of ['green', 'red', 'yellow', 'blue'] as const)
      expect(await colorBox(decoder, shot, COLOR_HEX[color]), color).toBeDefined();
    if (process.env.PEERDESK_SHOTS) {
      await host.screenshot({ path: `${process.env.PEERDESK_SHOTS}/host-annotations.png`, fullPage: true });
      await viewer.screenshot({ path: `${process.env.PEERDESK_SHOTS}/viewer-annotations.png` });
    }
    await host.uncheck('#annotations-enabled');
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'false');
    expect(await viewer.isVisible('#annotations-note')).toBe(true);
    expect(await viewer.isDisabled('#annotate-rect')).toBe(true);
    // The earlier mark went with the switch, and a modified viewer's mark is refused.
    await channelSend(viewer, [
      JSON.stringify({
        t: 'mark',
        id: 9,
        color: 'green',
        pinned: true,
        shape: { kind: 'rect', from: { x: 0.1, y: 0.1 }, to: { x: 0.9, y: 0.9 } },
      }),
    ]);
    await host.waitForFunction(() => document.body.dataset.annotationsLastRefusal === 'ANNOT_ERR_OFF');
    expect(await colorBox(decoder, await host.locator('.annotation-stage').screenshot(), GREEN)).toBeUndefined();
    await host.check('#annotations-enabled');
    await viewer.waitForFunction(() => document.body.dataset.annotationsAllowed === 'true');
    expect(await viewer.isDisabled('#annotate-rect')).toBe(false);
  }, 240_000);

  it('the person’s preview plays a slowed copy of the shared track, not the one sent, and stops it with the session', async () => {
    const { host } = await watchingSession(harness, 'screen');
    await host.waitForFunction(() => (document.querySelector<HTMLVideoElement>('#annotation-preview')?.videoWidth ?? 0) > 0);
    // The copy's rate is set right after it is made (applyConstraints resolves asynchronously).
    await host.waitForFunction((max) => {
      const preview = (document.querySelector<HTMLVideoElement>('#annotation-preview')!.srcObject as MediaStream).getVideoTracks()[0]!;
      (window as unknown as { __previewTrack: MediaStreamTrack }).__previewTrack = preview;
      return (preview.getSettings().frameRate ?? Infinity) <= max;
    }, PREVIEW_FRAME_RATE);
    const tracks = await host.evaluate(() => {
      const preview = (window as unknown as { __previewTrack: MediaStreamTrack }).__previewTrack;
      const pc = (window as unknown as { __pdPeers: RTCPeerConnection[] }).__pdPeers.at(-1)!;
      const sent = pc.getSenders().find((s) => s.track?.kind === 'video')!.track!;
      return { preview: preview.id, sent: sent.id, sentRate: sent.getSettings().frameRate ?? 0 };
    });
    expect(tracks.preview).not.toBe(tracks.sent);
    expect(tracks.sentRate).toBeGreaterThan(PREVIEW_FRAME_RATE);
    await host.click('#stop-sharing');
    // A copy left playing would keep the capture (and the system's sharing indicator) alive.
    await host.waitForFunction(() => (window as unknown as { __previewTrack: MediaStreamTrack }).__previewTrack.readyState === 'ended');
  }, 240_000);
});
