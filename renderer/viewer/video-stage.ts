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
  readonly element = h('div', { class: 'stage fit', id: 'stage' }, this.video);
  mode: ViewMode = 'fit';

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
