import { RecordingErrorCode } from '../../protocol/error-codes';
import { RECORDING_COOLDOWNS_MS, type RecordingStateValue, type RecordingStopReason } from '../../protocol/recording-messages';

/**
 * The person's side of a recording, beside the session machine (`host-session-machine.ts`): whether the technician
 * may record, asked in a prompt of its own. Pure like that one — no DOM, no network: `HostRecording` feeds it events
 * and carries out the effects. Every transition is in `RECORDING_TRANSITIONS` below; an event a state has no row
 * for is ignored. Only the person's `allow` ever reaches `recording`.
 */

/** `denials` and `quietUntil` outlive each prompt: a Deny makes the next request wait (RECORDING_COOLDOWNS_MS). */
interface Memory {
  denials: number;
  quietUntil: number;
}
export type RecordingConsent =
  | ({ kind: 'off' } & Memory)
  /** The prompt is up for this recording; nothing is recorded yet. */
  | ({ kind: 'asking'; id: string } & Memory)
  /** The person allowed it at `since`: the red mark is on the sharing bar until it ends. */
  | ({ kind: 'recording'; id: string; since: number } & Memory);

export type RecordingEvent =
  | { type: 'request'; id: string; at: number }
  | { type: 'allow'; at: number }
  | { type: 'deny'; at: number }
  | { type: 'viewer.stop'; id: string }
  /** The person's Stop on the mark, or what the session did: control taken back, another source, the end. */
  | { type: 'end'; reason: Exclude<RecordingStopReason, 'technician'> };

export type RecordingEffect =
  | { do: 'prompt'; id: string }
  | { do: 'close-prompt' }
  /** Told to the technician's page: the only word that starts (or ends) its recorder. */
  | { do: 'tell'; id: string; state: RecordingStateValue; reason?: RecordingStopReason }
  | { do: 'mark'; since: number }
  | { do: 'unmark' }
  /** Into the session log and the audit trail. */
  | { do: 'report'; action: 'requested' | 'allowed' | 'declined' | 'stopped'; id: string; reason?: RecordingStopReason }
  | { do: 'refuse'; code: RecordingErrorCode };

export interface RecordingStep {
  next: RecordingConsent;
  effects: RecordingEffect[];
}

type Kind = RecordingConsent['kind'];
type StateOf<K extends Kind> = Extract<RecordingConsent, { kind: K }>;
type EventOf<T extends RecordingEvent['type']> = Extract<RecordingEvent, { type: T }>;
type Row<S extends RecordingConsent> = { [T in RecordingEvent['type']]?: (s: S, e: EventOf<T>) => RecordingStep };

export const RECORDING_OFF: RecordingConsent = { kind: 'off', denials: 0, quietUntil: 0 };

const memory = ({ denials, quietUntil }: Memory): Memory => ({ denials, quietUntil });
const off = (s: Memory, ...effects: RecordingEffect[]): RecordingStep => ({ next: { kind: 'off', ...memory(s) }, effects });
const stay = (s: RecordingConsent, ...effects: RecordingEffect[]): RecordingStep => ({ next: s, effects });
/** A second request while one is asked or running: the technician hears `busy`, the person nothing. */
const busy = (s: RecordingConsent, e: EventOf<'request'>): RecordingStep =>
  stay(s, { do: 'refuse', code: RecordingErrorCode.Busy }, { do: 'tell', id: e.id, state: 'busy' });

export const RECORDING_TRANSITIONS: { [K in Kind]: Row<StateOf<K>> } = {
  off: {
    request: (s, e) =>
      e.at < s.quietUntil
        ? stay(s, { do: 'refuse', code: RecordingErrorCode.Cooldown }, { do: 'tell', id: e.id, state: 'cooldown' })
        : {
            next: { kind: 'asking', id: e.id, ...memory(s) },
            effects: [
              { do: 'prompt', id: e.id },
              { do: 'tell', id: e.id, state: 'asking' },
              { do: 'report', action: 'requested', id: e.id },
            ],
          },
    'viewer.stop': (s) => stay(s, { do: 'refuse', code: RecordingErrorCode.NotRecording }),
  },
  asking: {
    request: busy,
    allow: (s, e) => ({
      next: { kind: 'recording', id: s.id, since: e.at, ...memory(s) },
      effects: [
        { do: 'close-prompt' },
        { do: 'mark', since: e.at },
        { do: 'tell', id: s.id, state: 'recording' },
        { do: 'report', action: 'allowed', id: s.id },
      ],
    }),
    deny: (s, e) => {
      const denials = s.denials + 1;
      const wait = RECORDING_COOLDOWNS_MS[Math.min(denials, RECORDING_COOLDOWNS_MS.length) - 1];
      return off(
        { denials, quietUntil: e.at + wait },
        { do: 'close-prompt' },
        { do: 'tell', id: s.id, state: 'declined' },
        { do: 'report', action: 'declined', id: s.id },
      );
    },
    // The technician gave up asking: the prompt goes, unanswered, which is no consent.
    'viewer.stop': (s, e) =>
      e.id === s.id
        ? off(s, { do: 'close-prompt' }, { do: 'tell', id: s.id, state: 'declined' })
        : stay(s, { do: 'refuse', code: RecordingErrorCode.NotRecording }),
    // The session moved on while the person read the prompt (another source, the end): what they would agree to is gone.
    end: (s) => off(s, { do: 'close-prompt' }, { do: 'tell', id: s.id, state: 'declined' }),
  },
  recording: {
    request: busy,
    'viewer.stop': (s, e) => (e.id === s.id ? stopped(s, 'technician') : stay(s, { do: 'refuse', code: RecordingErrorCode.NotRecording })),
    end: (s, e) => stopped(s, e.reason),
  },
};

function stopped(s: StateOf<'recording'>, reason: RecordingStopReason): RecordingStep {
  return off(
    s,
    { do: 'unmark' },
    { do: 'tell', id: s.id, state: 'stopped', reason },
    { do: 'report', action: 'stopped', id: s.id, reason },
  );
}

/** One step; `undefined` when the state has no row for the event (ignored). */
export function recordingStep(state: RecordingConsent, event: RecordingEvent): RecordingStep | undefined {
  const row = RECORDING_TRANSITIONS[state.kind] as Row<RecordingConsent>;
  const handler = row[event.type] as ((s: RecordingConsent, e: RecordingEvent) => RecordingStep) | undefined;
  return handler?.(state, event);
}
