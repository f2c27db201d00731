import type { HostRecording, RecordingStopReason } from '../../protocol/recording-messages';
import type { ToolkitChannel } from '../net/toolkit-channel';
import type { SessionLog } from '../session/session-log';
import { h } from '../ui/dom';
import { saveDownload } from '../ui/save-download';
import { CompositeRecorder, type MarkLayer } from './composite-recorder';
import { chatSideFile, type RecordedChatLine, recordingBaseName, sha256Hex, withDuration } from './recording-files';
import { ViewerRecordingChannel } from './recording-channel';
import { uploadRecording } from './upload-recording';

type Current =
  | { id: string; phase: 'asking' }
  | { id: string; phase: 'recording'; recorder: CompositeRecorder; chat: RecordedChatLine[]; startedAt: Date };

const NOTES: Partial<Record<HostRecording['state'], string>> = {
  asking: 'Waiting for the person to allow recording…',
  declined: 'The person declined recording.',
  cooldown: 'The person declined a moment ago; ask again later.',
  busy: 'A recording is already being asked for or running.',
};

/** What the server did with its copy (`--recordings-dir`); the technician's own download is there either way. */
const UPLOAD_NOTES = {
  stored: 'kept by the server too',
  'not-kept': 'this server keeps no copies',
  failed: 'the server copy failed (your download is complete)',
} as const;

const newId = () => [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The technician's Record button: asks the person, records only once their page says `recording`, and stops on
 * their word, the technician's Stop or the end of the watch. Saved through the browser's download — the WebM (video
 * with the marks in it) and the chat beside it — with its SHA-256 and duration in the audit trail.
 */
export class ViewerRecording {
  readonly element: HTMLElement;
  private readonly button = h('button', { class: 'secondary', id: 'record', disabled: true }, 'Record');
  private readonly note = h('span', { class: 'recording-note', id: 'recording-note', role: 'status' });
  private readonly channel: ViewerRecordingChannel;
  private current?: Current;
  private readonly stops: Array<() => void> = [];
  private disposed = false;

  constructor(
    pc: RTCPeerConnection,
    private readonly video: HTMLVideoElement,
    private readonly toolkit: ToolkitChannel,
    private readonly marks: () => MarkLayer | undefined,
    private readonly session: { id: string; log?: SessionLog },
  ) {
    this.element = h('span', { class: 'recording-tools' }, this.button, this.note);
    this.button.addEventListener('click', () => this.click());
    this.channel = new ViewerRecordingChannel(pc, (m) => this.onState(m));
    // Only while there is a picture to record: the button wakes with the first frame.
    const ready = () => this.render();
    video.addEventListener('resize', ready);
    this.channel.onOpen(ready);
    const chat = (from: RecordedChatLine['from']) => (m: Parameters<Parameters<ToolkitChannel['on']>[0]>[0]) =>
      m.t === 'chat' && this.current?.phase === 'recording' && this.current.chat.push({ at: m.sentAt, from, text: m.text });
    this.stops.push(toolkit.on(chat('person')), toolkit.onSent(chat('technician')), () => video.removeEventListener('resize', ready));
  }

  /** The watch ends (left, the person stopped, the link died): a recording stops and is saved all the same. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stops.forEach((stop) => stop());
    const current = this.current;
    if (current?.phase === 'recording') void this.finish(current, 'session-ended');
    else if (current) this.channel.send({ t: 'recording.stop', id: current.id });
    this.current = undefined;
    this.channel.close();
  }

  private click(): void {
    const current = this.current;
    if (!current) {
      const id = newId();
      if (!this.channel.send({ t: 'recording.request', id })) return;
      this.current = { id, phase: 'asking' };
      this.session.log?.report({ type: 'recording', action: 'requested', recordingId: id });
      return this.render(NOTES.asking);
    }
    this.channel.send({ t: 'recording.stop', id: current.id });
    if (current.phase === 'recording') return void this.finish(current, 'technician');
    this.current = undefined;
    this.render('');
  }

  private onState(m: HostRecording): void {
    const current = this.current;
    if (!current || m.id !== current.id) return;
    if (m.state === 'recording' && current.phase === 'asking') return this.start(current.id);
    if (m.state === 'stopped' && current.phase === 'recording') return void this.finish(current, m.reason ?? 'person');
    if (m.state === 'asking') return this.render(NOTES.asking);
    if (current.phase === 'asking' && (m.state === 'declined' || m.state === 'cooldown' || m.state === 'busy')) {
      this.current = undefined;
      if (m.state === 'declined') this.session.log?.report({ type: 'recording', action: 'declined', recordingId: m.id });
      this.render(NOTES[m.state]);
    }
  }

  private start(id: string): void {
    const recorder = new CompositeRecorder(this.video, this.marks());
    this.current = { id, phase: 'recording', recorder, chat: [], startedAt: new Date() };
    this.session.log?.record('recording', 'Recording started (the person allowed it)', { recording: id });
    this.session.log?.report({ type: 'recording', action: 'started', recordingId: id });
    document.body.dataset.recording = 'on';
    this.render('Recording…');
  }

  private async finish(current: Extract<Current, { phase: 'recording' }>, reason: RecordingStopReason): Promise<void> {
    if (this.current === current) this.current = undefined;
    const { log } = this.session;
    log?.record('recording', `Recording stopped (${reason})`, { recording: current.id, reason });
    log?.report({ type: 'recording', action: 'stopped', recordingId: current.id, reason });
    document.body.dataset.recording = `stopped:${reason}`;
    this.render('Saving the recording…');
    const { blob: raw, durationMs } = await current.recorder.stop();
    // Stopped before the encoder gave out a frame: there is no file to keep, and none is pretended.
    if (raw.size === 0) return this.render('Nothing was recorded: no picture was encoded before the stop.');
    const blob = await withDuration(raw, durationMs);
    const sha256 = await sha256Hex(blob);
    const base = recordingBaseName(current.startedAt);
    saveDownload(blob, `${base}.webm`);
    saveDownload(chatSideFile(current.chat), `${base}-chat.jsonl`);
    log?.record('recording', `Recording saved: ${base}.webm, SHA-256 ${sha256}`, {
      recording: current.id,
      sha256,
      size: blob.size,
      durationMs,
    });
    log?.report({ type: 'recording.saved', recordingId: current.id, sha256, size: blob.size, durationMs });
    document.body.dataset.recordingSaved = sha256;
    this.render(`Saved ${base}.webm (${Math.round(durationMs / 1000)} s)`);
    const outcome = await uploadRecording({ sessionId: this.session.id, recordingId: current.id, blob, sha256, durationMs });
    this.render(`Saved ${base}.webm; server copy: ${UPLOAD_NOTES[outcome]}`);
  }

  /** Button and note in place (never rebuilt): its label says what a click does now. */
  private render(note?: string): void {
    const phase = this.current?.phase;
    this.button.textContent = phase === 'recording' ? 'Stop recording' : phase === 'asking' ? 'Cancel recording request' : 'Record';
    this.button.classList.toggle('danger', phase === 'recording');
    this.button.disabled = this.disposed || !this.channel.open || this.video.videoWidth === 0;
    if (note !== undefined) this.note.textContent = note;
    document.body.dataset.recordingPhase = phase ?? 'none';
  }
}
