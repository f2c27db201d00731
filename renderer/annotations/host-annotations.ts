import type { ViewerAnnotation } from '../../protocol/annotation-messages';
import { h } from '../ui/dom';
import { HostAnnotationChannel } from './annotation-channel';
import { MarkBoard } from './mark-board';
import { MarkCanvas } from './mark-canvas';

/**
 * The preview plays a copy of the shared track at this rate: a page composites a playing video in software, and the
 * full capture rate (up to 60 fps of 1280×800 and more) cost the host a third of a core and the viewer's picture
 * ~10 ms at the glass. Marks are painted on their own canvas, so they stay smooth.
 */
export const PREVIEW_FRAME_RATE = 5;

/**
 * The person's side of pointer and annotations in the page: a preview of exactly what is shared with the
 * technician's marks painted over it, and the switch that turns marks off (on at the start of each session). It
 * needs only what view consent already gave — marks inject nothing — and ends with the link it rides on.
 * `forward` hands each accepted message on as well (the desktop app's overlay over the shared screen or window).
 */
export class HostAnnotations {
  readonly element: HTMLElement;
  private readonly video = h('video', { id: 'annotation-preview', autoplay: true, muted: true, playsInline: true });
  private readonly board = new MarkBoard();
  private readonly canvas: MarkCanvas;
  private readonly channel: HostAnnotationChannel;
  private readonly toggle = h('input', { type: 'checkbox', id: 'annotations-enabled', checked: true });
  /** The shared track the preview copies, and the slowed copy it plays (stopped with the preview: it holds the capture). */
  private shown?: { source: MediaStreamTrack; copy: MediaStreamTrack };

  constructor(
    pc: RTCPeerConnection,
    private readonly forward?: (message: ViewerAnnotation | { t: 'off' }) => void,
  ) {
    const stage = h('div', { class: 'annotation-stage' }, this.video);
    this.canvas = new MarkCanvas(this.video, this.board);
    this.channel = new HostAnnotationChannel(pc, (m) => this.draw(m));
    this.toggle.addEventListener('change', () => this.setEnabled(this.toggle.checked));
    this.element = h(
      'section',
      { class: 'annotations-panel', id: 'annotations-panel', 'aria-label': 'What your technician sees' },
      h(
        'div',
        { class: 'annotations-head' },
        h('span', {}, 'What your technician sees. Their pointer and marks show here; they cannot click anything with them.'),
        h('label', { class: 'check' }, this.toggle, ' Show technician’s marks'),
      ),
      stage,
    );
  }

  /** What is shared now (again after every source switch): the preview shows this very track. */
  show(track: MediaStreamTrack): void {
    if (this.shown?.source === track) return;
    this.stopPreview();
    const copy = track.clone();
    // Best effort: a copy at the full rate still shows the right picture.
    void copy.applyConstraints({ frameRate: { max: PREVIEW_FRAME_RATE } }).catch(() => undefined);
    this.shown = { source: track, copy };
    this.video.srcObject = new MediaStream([copy]);
    void this.video.play().catch(() => undefined);
    // Marks were placed on the old picture.
    this.board.reset();
    this.canvas.redraw();
  }

  setEnabled(enabled: boolean): void {
    this.toggle.checked = enabled;
    document.body.dataset.annotations = enabled ? 'on' : 'off';
    this.channel.setEnabled(enabled);
    if (enabled) return;
    this.board.reset();
    this.canvas.redraw();
    this.forward?.({ t: 'off' });
  }

  dispose(): void {
    this.channel.close();
    this.board.reset();
    this.canvas.dispose();
    this.forward?.({ t: 'off' });
    this.stopPreview();
  }

  private stopPreview(): void {
    this.shown?.copy.stop();
    this.shown = undefined;
    this.video.srcObject = null;
  }

  private draw(message: ViewerAnnotation): void {
    this.board.apply(message, performance.now());
    this.canvas.redraw();
    this.forward?.(message);
    document.body.dataset.annotationsDrawn = String(Number(document.body.dataset.annotationsDrawn ?? 0) + 1);
  }
}
