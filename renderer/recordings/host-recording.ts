import type { ViewerRecording } from '../../protocol/recording-messages';
import {
  RECORDING_OFF,
  type RecordingConsent,
  type RecordingEffect,
  type RecordingEvent,
  recordingStep,
} from '../host/host-recording-machine';
import type { SessionLog } from '../session/session-log';
import { h, mount } from '../ui/dom';
import type { Asker } from '../ui/technician-identity';
import { HostRecordingChannel } from './recording-channel';
import { RecordingMark } from './recording-mark';
import { recordingPrompt } from './recording-prompt';

type Runners = { [D in RecordingEffect['do']]: (effect: Extract<RecordingEffect, { do: D }>) => void };

const LOG_TEXT = {
  requested: 'asked to record the session',
  allowed: 'You allowed recording',
  declined: 'You declined recording',
  stopped: 'Recording stopped',
} as const;

/**
 * The person's side of recordings on one connected link: the channel (through its gate), the consent machine
 * (`host-recording-machine.ts`), its prompt and the red mark. Made with the link's tools; disposing it (the link
 * goes: the session ended, the technician left or was lost) ends any recording first.
 */
export class HostRecording {
  readonly mark: RecordingMark;
  /** Where the prompt shows, in the sharing view; empty while nobody asks. */
  readonly element = h('div', { id: 'recording-slot' });
  private state: RecordingConsent = RECORDING_OFF;
  private readonly channel: HostRecordingChannel;

  constructor(
    pc: RTCPeerConnection,
    private readonly asker: Asker,
    private readonly log?: SessionLog,
  ) {
    this.mark = new RecordingMark(() => this.end('person'));
    this.channel = new HostRecordingChannel(pc, (m) => this.onMessage(m));
  }

  get recording(): boolean {
    return this.state.kind === 'recording';
  }

  /** The person's Stop, or what the session did (control taken back, another source, the end). */
  end(reason: Extract<RecordingEvent, { type: 'end' }>['reason']): void {
    this.dispatch({ type: 'end', reason });
  }

  dispose(): void {
    this.end('session-ended');
    this.channel.close();
  }

  private onMessage(m: ViewerRecording): void {
    if (m.t === 'recording.request') this.dispatch({ type: 'request', id: m.id, at: Date.now() });
    else this.dispatch({ type: 'viewer.stop', id: m.id });
  }

  private dispatch(event: RecordingEvent): void {
    const step = recordingStep(this.state, event);
    if (!step) return;
    this.state = step.next;
    document.body.dataset.recordingConsent = step.next.kind;
    for (const effect of step.effects) (this.run[effect.do] as (e: RecordingEffect) => void)(effect);
  }

  private readonly run: Runners = {
    prompt: () =>
      mount(
        this.element,
        recordingPrompt(
          this.asker,
          () => this.dispatch({ type: 'allow', at: Date.now() }),
          () => this.dispatch({ type: 'deny', at: Date.now() }),
        ),
      ),
    'close-prompt': () => mount(this.element),
    tell: (e) => this.channel.send({ t: 'recording.state', id: e.id, state: e.state, ...(e.reason ? { reason: e.reason } : {}) }),
    mark: (e) => this.mark.start(e.since),
    unmark: () => this.mark.stop(),
    report: (e) => {
      const who = e.action === 'requested' ? `${this.asker.name} ` : '';
      const why = e.reason ? ` (${e.reason})` : '';
      this.log?.record('recording', `${who}${LOG_TEXT[e.action]}${why}`, { recording: e.id, action: e.action });
      this.log?.report({ type: 'recording', action: e.action, recordingId: e.id, ...(e.reason ? { reason: e.reason } : {}) });
    },
    refuse: (e) => this.channel.refuse(e.code),
  };
}
