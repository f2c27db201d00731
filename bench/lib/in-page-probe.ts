/**
 * In-page: report when the centre colour first matches the target (rVFC for video, rAF for noVNC's canvas).
 * The probe reads as little as it can, so it does not load the two cores it shares with what it measures:
 * a 2×2 block of the decoded video frame's planes (VideoFrame.copyTo, no RGB conversion of the whole frame),
 * or one pixel of noVNC's canvas.
 */
export const PROBE = `(() => {
  const p = (window.__probe = { target: null, seenAt: 0, meta: null, firstFrameAt: 0 });
  const c = document.createElement('canvas'); c.width = 1; c.height = 1;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  const near = (d, t) => Math.abs(d[0] - t[0]) < 60 && Math.abs(d[1] - t[1]) < 60 && Math.abs(d[2] - t[2]) < 60;
  const clamp = (v) => Math.max(0, Math.min(255, v));
  // BT.601 limited range, what Chromium's VP8/H.264 decoders output.
  const rgbOf = (y, u, v) => [clamp(1.164 * (y - 16) + 1.596 * (v - 128)), clamp(1.164 * (y - 16) - 0.392 * (u - 128) - 0.813 * (v - 128)), clamp(1.164 * (y - 16) + 2.017 * (u - 128))];
  async function videoCentre(video) {
    const f = new VideoFrame(video);
    try {
      const rect = { x: (f.visibleRect.width >> 2) << 1, y: (f.visibleRect.height >> 2) << 1, width: 2, height: 2 };
      const buf = new Uint8Array(f.allocationSize({ rect }));
      const layout = await f.copyTo(buf, { rect });
      if (f.format === 'NV12') return rgbOf(buf[layout[0].offset], buf[layout[1].offset], buf[layout[1].offset + 1]);
      if (f.format && f.format.startsWith('I4')) return rgbOf(buf[layout[0].offset], buf[layout[1].offset], buf[layout[2].offset]);
      ctx.drawImage(video, video.videoWidth / 2, video.videoHeight / 2, 1, 1, 0, 0, 1, 1);
      return ctx.getImageData(0, 0, 1, 1).data;
    } finally { f.close(); }
  }
  function canvasCentre(cv) {
    ctx.drawImage(cv, cv.width / 2, cv.height / 2, 1, 1, 0, 0, 1, 1);
    return ctx.getImageData(0, 0, 1, 1).data;
  }
  // 'at' is the rendering step's own timestamp (rAF/rVFC 'now'): the probe's own reading time is not counted.
  const check = async (read, at, meta) => {
    const shownAt = performance.timeOrigin + at;
    if (!p.firstFrameAt) p.firstFrameAt = shownAt;
    if (!p.target || p.seenAt) return;
    const target = p.target;
    if (near(await read(), target) && p.target === target && !p.seenAt) { p.seenAt = shownAt; p.meta = meta; }
  };
  const video = () => document.querySelector('video');
  const onVideo = (t, meta) => { const v = video(); check(() => videoCentre(v), t, { receiveTime: meta.receiveTime, captureTime: meta.captureTime, expectedDisplayTime: meta.expectedDisplayTime }); v.requestVideoFrameCallback(onVideo); };
  const onCanvas = (t) => { const cv = document.querySelector('#screen canvas'); if (cv && cv.width > 0) check(() => canvasCentre(cv), t, null); requestAnimationFrame(onCanvas); };
  const start = () => { if (video()) video().requestVideoFrameCallback(onVideo); else if (document.querySelector('#screen')) requestAnimationFrame(onCanvas); else return setTimeout(start, 20); };
  start();
})()`;
