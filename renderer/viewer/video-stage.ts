import { h } from '../ui/dom';

export type ViewMode = 'fit' | 'actual';

/** The shared surface: a video that fits the window (letterboxed) or shows 1:1 with scrolling. */
export class VideoStage {
  readonly video = h('video', {
    id: 'remote-video',
    autoplay: true,
    muted: true,
    playsInline: true,
    tabIndex: 0,
    'aria-label': 'Shared screen',
  });
  /** Shown from the moment the connection starts until the first frame is on screen. */
  private readonly waiting = h(
    'p',
    { class: 'status busy stage-waiting', id: 'awaiting-frame', role: 'status' },
    'Waiting for the first picture…',
  );
  readonly element = h('div', { class: 'stage fit', id: 'stage' }, this.video, this.waiting);
  mode: ViewMode = 'fit';

  constructor() {
    this.video.requestVideoFrameCallback(() => this.waiting.remove());
  }

  show(stream: MediaStream): void {
    // simple-peer announces the stream again after a renegotiation; re-attaching would blank the video.
    if (this.video.srcObject === stream) return;
    this.video.srcObject = stream;
    void this.video.play().catch(() => undefined);
  }

  setMode(mode: ViewMode): void {
    this.mode = mode;
    this.element.classList.toggle('fit', mode === 'fit');
    this.element.classList.toggle('actual', mode === 'actual');
  }
}
