import { describe, expect, it } from 'vitest';
import { clientAuditEventSchema } from '../../../protocol/audit-reports';
import { MAX_RECORDING_MESSAGE_BYTES, RECORDING_BURST, RECORDING_MESSAGES_PER_SECOND } from '../../../protocol/recording-messages';
import { RecordingGate } from '../../../renderer/recordings/recording-channel';
import { recordingBaseName } from '../../../renderer/recordings/recording-files';

const ask = JSON.stringify({ t: 'recording.request', id: 'abcdefgh1234' });

describe('RecordingGate', () => {
  it('passes a request and refuses crafted messages whole, each with its code, never throwing', () => {
    const gate = new RecordingGate(() => 0);
    expect(gate.check(ask)).toEqual({ ok: true, message: JSON.parse(ask) });
    expect(gate.check('x'.repeat(MAX_RECORDING_MESSAGE_BYTES + 1))).toEqual({ ok: false, code: 'REC_ERR_TOO_LARGE' });
    expect(gate.check(new ArrayBuffer(4))).toEqual({ ok: false, code: 'REC_ERR_TOO_LARGE' });
    expect(gate.check('{"t":')).toEqual({ ok: false, code: 'REC_ERR_BAD_JSON' });
    // The host's own word is not the technician's to send; no markup in an id; no extra fields.
    expect(gate.check('{"t":"recording.state","id":"abcdefgh1234","state":"recording"}')).toEqual({
      ok: false,
      code: 'REC_ERR_BAD_MESSAGE',
    });
    expect(gate.check('{"t":"recording.request","id":"<b>abcdefgh</b>"}')).toEqual({ ok: false, code: 'REC_ERR_BAD_MESSAGE' });
    expect(gate.check('{"t":"recording.request","id":"abcdefgh1234","allow":true}')).toEqual({ ok: false, code: 'REC_ERR_BAD_MESSAGE' });
    expect(gate.refusedTotal).toBe(6);
  });

  it('refuses beyond the burst and takes requests again as time passes', () => {
    let now = 0;
    const gate = new RecordingGate(() => now);
    for (let i = 0; i < RECORDING_BURST; i++) expect(gate.check(ask).ok).toBe(true);
    expect(gate.check(ask)).toEqual({ ok: false, code: 'REC_ERR_RATE_LIMITED' });
    now += 1000 / RECORDING_MESSAGES_PER_SECOND;
    expect(gate.check(ask).ok).toBe(true);
  });
});

describe('recording audit events and files', () => {
  it('the server’s schema takes the saved file’s hash, size and duration, and nothing looser', () => {
    const saved = { type: 'recording.saved', recordingId: 'abcdefgh1234', sha256: 'a'.repeat(64), size: 10, durationMs: 2500 };
    expect(clientAuditEventSchema.safeParse(saved).success).toBe(true);
    expect(clientAuditEventSchema.safeParse({ ...saved, sha256: 'A'.repeat(64) }).success).toBe(false);
    expect(clientAuditEventSchema.safeParse({ ...saved, durationMs: -1 }).success).toBe(false);
    const stopped = { type: 'recording', action: 'stopped', recordingId: 'abcdefgh1234', reason: 'revoked' };
    expect(clientAuditEventSchema.safeParse(stopped).success).toBe(true);
    expect(clientAuditEventSchema.safeParse({ ...stopped, reason: 'bored' }).success).toBe(false);
  });

  it('names the file by its start, sortable and safe on any file system', () => {
    expect(recordingBaseName(new Date('2026-12-07T02:10:33.456Z'))).toBe('peerdesk-recording-2026-12-07T02-10-33Z');
  });
});
