import { afterAll, describe, expect, it } from 'vitest';
import {
  RECORDING_OFF,
  RECORDING_TRANSITIONS,
  type RecordingConsent,
  type RecordingEvent,
  recordingStep,
} from '../../../renderer/host/host-recording-machine';

const covered = new Set<string>();
function step(state: RecordingConsent, event: RecordingEvent) {
  const result = recordingStep(state, event);
  if (result) covered.add(`${state.kind} × ${event.type}`);
  return result;
}
const asking: RecordingConsent = { kind: 'asking', id: 'rec-aaaaaaaa', denials: 0, quietUntil: 0 };
const recording: RecordingConsent = { kind: 'recording', id: 'rec-aaaaaaaa', since: 1000, denials: 0, quietUntil: 0 };
const request = (at: number, id = 'rec-aaaaaaaa'): RecordingEvent => ({ type: 'request', id, at });

describe('the person’s recording consent', () => {
  it('a request prompts the person and records nothing; only Allow starts it, with the red mark', () => {
    const asked = step(RECORDING_OFF, request(0));
    expect(asked?.next).toEqual(asking);
    expect(asked?.effects).toEqual([
      { do: 'prompt', id: 'rec-aaaaaaaa' },
      { do: 'tell', id: 'rec-aaaaaaaa', state: 'asking' },
      { do: 'report', action: 'requested', id: 'rec-aaaaaaaa' },
    ]);
    const allowed = step(asking, { type: 'allow', at: 1000 });
    expect(allowed?.next).toEqual(recording);
    expect(allowed?.effects).toContainEqual({ do: 'tell', id: 'rec-aaaaaaaa', state: 'recording' });
    expect(allowed?.effects).toContainEqual({ do: 'mark', since: 1000 });
    // Nothing but the person's Allow reaches `recording`.
    for (const [kind, row] of Object.entries(RECORDING_TRANSITIONS))
      for (const type of Object.keys(row))
        if (!(kind === 'asking' && type === 'allow')) {
          const from = kind === 'off' ? RECORDING_OFF : kind === 'asking' ? asking : recording;
          const e = { type, id: 'rec-aaaaaaaa', at: 0, reason: 'person' } as RecordingEvent;
          const next = recordingStep(from, e)?.next;
          if (kind !== 'recording') expect(next?.kind, `${kind} × ${type}`).not.toBe('recording');
        }
  });

  it('Deny tells the technician and makes the next request wait longer each time (10 s, 30 s, 60 s)', () => {
    const denied = step(asking, { type: 'deny', at: 5000 });
    expect(denied?.next).toEqual({ kind: 'off', denials: 1, quietUntil: 15_000 });
    expect(denied?.effects).toContainEqual({ do: 'tell', id: 'rec-aaaaaaaa', state: 'declined' });
    expect(denied?.effects).not.toContainEqual(expect.objectContaining({ do: 'mark' }));
    const tooSoon = step(denied!.next, request(14_999, 'rec-bbbbbbbb'));
    expect(tooSoon?.next).toBe(denied!.next);
    expect(tooSoon?.effects).toEqual([
      { do: 'refuse', code: 'REC_ERR_COOLDOWN' },
      { do: 'tell', id: 'rec-bbbbbbbb', state: 'cooldown' },
    ]);
    const again = step(denied!.next, request(15_000, 'rec-bbbbbbbb'))!.next;
    expect(step(again, { type: 'deny', at: 20_000 })?.next).toEqual({ kind: 'off', denials: 2, quietUntil: 50_000 });
    const third = step(step(again, { type: 'deny', at: 20_000 })!.next, request(50_000))!.next;
    expect(step(third, { type: 'deny', at: 60_000 })?.next).toEqual({ kind: 'off', denials: 3, quietUntil: 120_000 });
    const fourth = step(step(third, { type: 'deny', at: 60_000 })!.next, request(120_000))!.next;
    expect(step(fourth, { type: 'deny', at: 130_000 })?.next).toEqual({ kind: 'off', denials: 4, quietUntil: 190_000 });
  });

  it('every end stops a recording with its reason, the mark goes, and both the technician and the trail hear why', () => {
    for (const reason of ['person', 'revoked', 'source-switched', 'session-ended'] as const) {
      const result = step(recording, { type: 'end', reason });
      expect(result?.next).toEqual({ kind: 'off', denials: 0, quietUntil: 0 });
      expect(result?.effects).toEqual([
        { do: 'unmark' },
        { do: 'tell', id: 'rec-aaaaaaaa', state: 'stopped', reason },
        { do: 'report', action: 'stopped', id: 'rec-aaaaaaaa', reason },
      ]);
    }
    expect(step(recording, { type: 'viewer.stop', id: 'rec-aaaaaaaa' })?.effects).toContainEqual({
      do: 'tell',
      id: 'rec-aaaaaaaa',
      state: 'stopped',
      reason: 'technician',
    });
  });

  it('an end while the prompt is up closes it unanswered: no consent, nothing starts', () => {
    const result = step(asking, { type: 'end', reason: 'source-switched' });
    expect(result?.next.kind).toBe('off');
    expect(result?.effects).toEqual([{ do: 'close-prompt' }, { do: 'tell', id: 'rec-aaaaaaaa', state: 'declined' }]);
    expect(step(asking, { type: 'viewer.stop', id: 'rec-aaaaaaaa' })?.effects).toContainEqual({ do: 'close-prompt' });
  });

  it('refuses what does not fit, by code: a second request, a stop for another recording', () => {
    expect(step(asking, request(0, 'rec-cccccccc'))?.effects).toEqual([
      { do: 'refuse', code: 'REC_ERR_BUSY' },
      { do: 'tell', id: 'rec-cccccccc', state: 'busy' },
    ]);
    expect(step(recording, request(0, 'rec-cccccccc'))?.next).toBe(recording);
    expect(step(recording, { type: 'viewer.stop', id: 'rec-cccccccc' })?.effects).toEqual([
      { do: 'refuse', code: 'REC_ERR_NOT_RECORDING' },
    ]);
    expect(step(asking, { type: 'viewer.stop', id: 'rec-cccccccc' })?.next).toBe(asking);
    expect(step(RECORDING_OFF, { type: 'viewer.stop', id: 'rec-cccccccc' })?.effects).toEqual([
      { do: 'refuse', code: 'REC_ERR_NOT_RECORDING' },
    ]);
    // Late answers and ends change nothing once it is off.
    expect(step(RECORDING_OFF, { type: 'allow', at: 0 })).toBeUndefined();
    expect(step(RECORDING_OFF, { type: 'end', reason: 'person' })).toBeUndefined();
    expect(step(recording, { type: 'allow', at: 0 })).toBeUndefined();
  });

  afterAll(() => {
    const rows = Object.entries(RECORDING_TRANSITIONS).flatMap(([kind, row]) => Object.keys(row).map((t) => `${kind} × ${t}`));
    expect(rows.filter((r) => !covered.has(r))).toEqual([]);
  });
});
