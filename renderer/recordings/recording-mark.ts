import { h } from '../ui/dom';

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * The red "Recording" mark for the person's sharing bar, with its Stop. One element for the whole session: the bar
 * is rebuilt around it, and each second only its time's text changes, so Stop is never swapped under the pointer.
 */
export class RecordingMark {
  private readonly time = h('span', { id: 'recording-time' }, '0:00');
  readonly element = h(
    'span',
    { class: 'recording-mark', id: 'recording-mark', role: 'status', hidden: true },
    h('span', { class: 'rec-dot', 'aria-hidden': 'true' }),
    'Recording ',
    this.time,
  );
  private ticker?: ReturnType<typeof setInterval>;

  constructor(onStop: () => void) {
    this.element.append(h('button', { class: 'danger', id: 'stop-recording', on: { click: () => onStop() } }, 'Stop recording'));
  }

  start(since: number): void {
    this.stop();
    this.element.hidden = false;
    document.body.dataset.recordingMark = 'on';
    const tick = () => (this.time.textContent = clock(Date.now() - since));
    tick();
    this.ticker = setInterval(tick, 1000);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.element.hidden = true;
    document.body.dataset.recordingMark = 'off';
  }
}
