import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { coldPrompt, naiveProfile } from '../instrumented';
import { type Capture, startCapture, stopCapture } from '../media/capture';
import { h } from '../ui/dom';

/**
 * The capture started while the view prompt is open (desktop app only): the person sees, live, exactly what Allow
 * would share — the source they picked — and the capture is already running when they click, so the technician's
 * first frame does not wait for it to start. It stays on this machine: nothing is attached to a connection that
 * sends, and Deny, a new pick or the request going away stops it at once.
 *
 * A pick made while an earlier one is still starting does not wait for it (in the desktop app a start asks main for
 * the picked source, and an earlier start may never settle): each start has a generation, and one that is no
 * longer the newest is stopped as soon as it settles.
 */
export class WarmCapture {
  /** The prompt's preview, made when first asked for (a capture without a page to show it needs none). */
  private view?: { element: HTMLElement; video: HTMLVideoElement };
  private generation = 0;
  private starting?: { sourceId: string; done: Promise<Capture | undefined> };
  private running?: { sourceId: string; capture: Capture };

  constructor(private readonly api: PeerDeskHostApi | undefined) {}

  /** The prompt's preview: hidden until a capture runs. */
  get element(): HTMLElement {
    return this.preview().element;
  }

  /** Starts the preview of `source`, replacing any other. The naive baseline and `?warm=0` start nothing (today's path). */
  warm(source: CaptureSource | undefined): void {
    if (!this.api || !source || naiveProfile || coldPrompt) return;
    if (this.starting?.sourceId === source.id || this.running?.sourceId === source.id) return;
    this.drop();
    const generation = this.generation;
    const done = startCapture(this.api, source).then(
      (capture) => {
        if (generation !== this.generation || capture.track.readyState !== 'live') return void stopCapture(capture);
        this.starting = undefined;
        this.running = { sourceId: source.id, capture };
        this.show(capture);
        return capture;
      },
      () => {
        if (generation === this.generation) this.starting = undefined;
        return undefined;
      },
    );
    this.starting = { sourceId: source.id, done };
  }

  /**
   * Allow: the running (or still starting) capture of `sourceId` is handed over and leaves the preview; undefined
   * when there is none for that source (it then starts the ordinary way, after the click).
   */
  async take(sourceId: string | undefined): Promise<Capture | undefined> {
    if (!sourceId) return this.drop();
    if (this.starting?.sourceId === sourceId) await this.starting.done;
    const running = this.running;
    if (running?.sourceId !== sourceId || running.capture.track.readyState !== 'live') return this.drop();
    this.running = undefined;
    this.hide();
    return running.capture;
  }

  /** Deny, a new request, the end: the capture stops and the preview goes. A start still under way stops when it settles. */
  drop(): undefined {
    this.generation++;
    this.starting = undefined;
    stopCapture(this.running?.capture);
    this.running = undefined;
    this.hide();
    return undefined;
  }

  private show(capture: Capture): void {
    const { element, video } = this.preview();
    video.srcObject = capture.stream;
    element.hidden = false;
  }

  private hide(): void {
    if (!this.view) return;
    this.view.video.srcObject = null;
    this.view.element.hidden = true;
  }

  private preview(): { element: HTMLElement; video: HTMLVideoElement } {
    if (this.view) return this.view;
    const video = h('video', { muted: true, autoplay: true, playsInline: true, 'aria-hidden': 'true' });
    const element = h(
      'figure',
      { class: 'share-preview', id: 'share-preview', hidden: true },
      video,
      h('figcaption', {}, 'Live: this is what they will see if you allow it.'),
    );
    return (this.view = { element, video });
  }
}
