import type { ViewerAnnotation } from '../../protocol/annotation-messages';
import { h } from '../ui/dom';
import { HostAnnotationChannel } from './annotation-channel';
import { MarkBoard } from './mark-board';
import { MarkCanvas } from './mark-canvas';

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
    if ((this.video.srcObject as MediaStream | null)?.getVideoTracks()[0] === track) return;
    this.video.srcObject = new MediaStream([track]);
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
    this.video.srcObject = null;
  }

  private draw(message: ViewerAnnotation): void {
    this.board.apply(message, performance.now());
    this.canvas.redraw();
    this.forward?.(message);
    document.body.dataset.annotationsDrawn = String(Number(document.body.dataset.annotationsDrawn ?? 0) + 1);
  }
}
