/** The marks over the video: their canvas (device pixels over the video element) and the picture's CSS rectangle in it. */
export interface MarkLayer {
  canvas: HTMLCanvasElement;
  pictureRect(): { left: number; top: number; width: number; height: number };
}

/** The widest picture kept: a 4K screen is scaled down, so the recorder's CPU cost stays bounded. */
const MAX_WIDTH = 1920;
/** Marks fade and the laser moves while the screen stands still (no new video frame): the picture is redrawn this often. */
const MARKS_REFRESH_MS = 250;
/** VP8 first: it encodes a screen several times faster than VP9 on the technician's CPU, and every player reads it. */
const MIME_TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'];

/**
 * Records what the technician sees: the received video with the marks drawn over it, painted on a canvas of the
 * video's own size and captured by the browser's MediaRecorder as WebM. One file holds both, so a player shows the
 * marks where they were, with no side file to keep in step. A canvas is painted on each new video frame (and a few
 * times a second for the marks); the cost of that is measured by bench/recording-cost.ts.
 */
export class CompositeRecorder {
  private readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;
  private readonly recorder: MediaRecorder;
  private readonly track: CanvasCaptureMediaStreamTrack;
  private readonly chunks: Blob[] = [];
  private readonly startedAt = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;
  private frameRequest = 0;
  private stopped = false;
  /** Frames painted so far (the benchmark and tests read it). */
  painted = 0;
  private bytes = 0;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly marks?: MarkLayer,
  ) {
    const scale = Math.min(1, MAX_WIDTH / Math.max(1, video.videoWidth));
    // Even sizes: VP8/VP9 encoders round odd ones, which would stretch the picture by a pixel.
    this.canvas.width = Math.max(2, Math.round((video.videoWidth * scale) / 2) * 2);
    this.canvas.height = Math.max(2, Math.round((video.videoHeight * scale) / 2) * 2);
    // In the document (hidden): Chromium's capture of a detached canvas gave the recorder no frame at all.
    this.canvas.hidden = true;
    this.canvas.id = 'recording-canvas';
    document.body.append(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas for the recording');
    this.ctx = ctx;
    const mimeType = MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    // Frames on request: each paint is one frame, whether or not the page is being composited (a background tab).
    const stream = this.canvas.captureStream(0);
    this.track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
    this.recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      this.chunks.push(e.data);
      this.bytes += e.data.size;
      // What has been encoded so far (the encoder starts a moment after the recorder, more on a busy CPU).
      document.body.dataset.recordingBytes = String(this.bytes);
    };
    // Chunks each second: a recording that ends with the page closing still has what came before.
    document.body.dataset.recordingBytes = '0';
    this.recorder.start(1000);
    this.paint();
    this.nextFrame();
    this.timer = setInterval(() => this.paint(), MARKS_REFRESH_MS);
  }

  /** Ends the recording: the WebM as recorded, and how long it ran (ms). */
  stop(): Promise<{ blob: Blob; durationMs: number }> {
    const durationMs = Math.round(performance.now() - this.startedAt);
    this.stopped = true;
    clearInterval(this.timer);
    this.video.cancelVideoFrameCallback(this.frameRequest);
    return new Promise((resolve) => {
      const done = () => {
        this.canvas.remove();
        resolve({ blob: new Blob(this.chunks, { type: 'video/webm' }), durationMs });
      };
      if (this.recorder.state === 'inactive') return done();
      this.recorder.addEventListener('stop', done, { once: true });
      this.recorder.stop();
    });
  }

  private nextFrame(): void {
    if (this.stopped) return;
    this.frameRequest = this.video.requestVideoFrameCallback(() => {
      this.paint();
      this.nextFrame();
    });
  }

  private paint(): void {
    const { width, height } = this.canvas;
    if (this.video.videoWidth > 0) this.ctx.drawImage(this.video, 0, 0, width, height);
    const marks = this.marks;
    if (marks && marks.canvas.width > 0) {
      // The marks canvas covers the whole video element in device pixels; its picture part maps onto ours.
      const dpr = marks.canvas.width / Math.max(1, marks.canvas.clientWidth || marks.canvas.width);
      const pic = marks.pictureRect();
      if (pic.width > 0 && pic.height > 0)
        this.ctx.drawImage(marks.canvas, pic.left * dpr, pic.top * dpr, pic.width * dpr, pic.height * dpr, 0, 0, width, height);
    }
    this.track.requestFrame();
    this.painted++;
  }
}
