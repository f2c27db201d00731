import type { QueueEntry } from '../../protocol/signaling-messages';
import { h } from '../ui/dom';

/**
 * Opt-in: a browser notification and a short tone when a request arrives. Off until the technician turns it on
 * (the browser asks its own permission for notifications); the tone is made with Web Audio, no file to load.
 */
export class NewRequestAlert {
  private on = false;
  private audio?: AudioContext;
  readonly element: HTMLLabelElement;

  constructor() {
    const box = h('input', { type: 'checkbox', id: 'alert-toggle', on: { change: () => void this.toggle(box.checked) } });
    this.element = h('label', { class: 'alert-toggle' }, box, ' Notify me of new requests (with a sound)');
  }

  private async toggle(on: boolean): Promise<void> {
    this.on = on;
    if (!on) return;
    // Created on the click: browsers start audio only after a user gesture.
    this.audio ??= new AudioContext();
    if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
  }

  announce(entry: QueueEntry): void {
    if (!this.on) return;
    this.beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      // Notification text is plain text by definition; the description is cut short.
      new Notification(`Help requested by ${entry.name}`, { body: entry.description.slice(0, 140), tag: entry.requestId });
    }
  }

  private beep(): void {
    const ctx = this.audio;
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  }
}
