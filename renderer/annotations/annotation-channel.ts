import {
  ANNOTATION_CHANNEL_ID,
  type HostAnnotation,
  hostAnnotationSchema,
  type ViewerAnnotation,
} from '../../protocol/annotation-messages';
import { AnnotationGate } from './annotation-gate';

/** Both sides make the same negotiated channel, so neither waits for the other to announce it. */
export const openAnnotationChannel = (pc: RTCPeerConnection): RTCDataChannel =>
  pc.createDataChannel('annotations', { negotiated: true, id: ANNOTATION_CHANNEL_ID, ordered: true });

/**
 * The host's end: every message through the gate (size, rate, schema, the person's on/off switch) before any of it
 * reaches `onMessage`. Refusals are counted by code on `document.body.dataset` for the session log and tests.
 */
export class HostAnnotationChannel {
  readonly gate = new AnnotationGate(() => performance.now());
  private readonly channel: RTCDataChannel;

  constructor(pc: RTCPeerConnection, onMessage: (m: ViewerAnnotation) => void) {
    this.channel = openAnnotationChannel(pc);
    this.channel.onmessage = (e) => {
      const result = this.gate.check(e.data);
      if (result.ok) return onMessage(result.message);
      document.body.dataset.annotationsRefused = String(this.gate.refusedTotal);
      document.body.dataset.annotationsLastRefusal = result.code;
    };
    this.channel.addEventListener('open', () => this.announce());
  }

  setEnabled(enabled: boolean): void {
    this.gate.enabled = enabled;
    this.announce();
  }

  close(): void {
    this.channel.close();
  }

  private announce(): void {
    const state: HostAnnotation = { t: 'annotations.state', enabled: this.gate.enabled };
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(state));
  }
}

/** The viewer's end: sends marks, hears whether the person shows them. */
export class ViewerAnnotationChannel {
  private readonly channel: RTCDataChannel;

  constructor(pc: RTCPeerConnection, onState: (enabled: boolean) => void) {
    this.channel = openAnnotationChannel(pc);
    this.channel.onmessage = (e) => {
      if (typeof e.data !== 'string' || e.data.length > 256) return;
      try {
        const parsed = hostAnnotationSchema.safeParse(JSON.parse(e.data));
        if (parsed.success) onState(parsed.data.enabled);
      } catch {
        // Not JSON: ignored, like any malformed message.
      }
    };
  }

  send(message: ViewerAnnotation): boolean {
    if (this.channel.readyState !== 'open') return false;
    this.channel.send(JSON.stringify(message));
    return true;
  }

  close(): void {
    this.channel.close();
  }
}
