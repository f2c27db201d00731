import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/services/audit-log';
import { ConsentService } from '../../../main/services/consent-service';

function setup() {
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-consent-')), 'audit.jsonl'));
  const prompt = {
    asks: [] as string[],
    open: false,
    ask(v: string) {
      this.asks.push(v);
      this.open = true;
    },
    dismiss() {
      this.open = false;
    },
  };
  const consent = new ConsentService(audit, prompt);
  return { audit, prompt, consent };
}

describe('ConsentService', () => {
  it('goes none → requested → granted only through the host’s grant, scoped to viewer and source', () => {
    const { consent, prompt } = setup();
    consent.beginSession('Tina', 'screen:0');
    expect(consent.allows('Tina', 'screen:0')).toBe(false);
    consent.grant(); // nothing was requested: no effect
    expect(consent.current).toBe('none');
    consent.request();
    expect(prompt.asks).toEqual(['Tina']);
    expect(consent.current).toBe('requested');
    consent.grant();
    expect(consent.current).toBe('granted');
    expect(prompt.open).toBe(false);
    expect(consent.allows('Tina', 'screen:0')).toBe(true);
    expect(consent.allows('Mallory', 'screen:0')).toBe(false);
    expect(consent.allows('Tina', 'window:42')).toBe(false);
  });

  it('revokes on source change, on revoke and on session end', () => {
    const { consent } = setup();
    for (const end of [
      (c: ConsentService) => c.sourceChanged('window:9'),
      (c: ConsentService) => c.revoke('hotkey'),
      (c: ConsentService) => c.endSession('disconnected'),
    ]) {
      consent.beginSession('Tina', 'screen:0');
      consent.request();
      consent.grant();
      end(consent);
      expect(consent.current === 'revoked' || consent.current === 'none').toBe(true);
      expect(consent.allows('Tina', 'screen:0')).toBe(false);
      expect(consent.allows('Tina', 'window:9')).toBe(false);
    }
  });

  it('a repeated request while granted neither re-prompts nor drops the grant', () => {
    const { consent, prompt } = setup();
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    consent.grant();
    consent.request();
    expect(prompt.asks).toHaveLength(1);
    expect(consent.current).toBe('granted');
  });

  it('writes an append-only audit trail with times and the viewer’s name', () => {
    const { consent, audit } = setup();
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    consent.grant();
    consent.revoke('host');
    consent.request();
    consent.deny();
    consent.request(); // within the cool-down: refused, and that is recorded too
    const entries = audit.read();
    expect(entries.map((e) => e.event)).toEqual([
      'control.requested',
      'control.granted',
      'control.revoked',
      'control.requested',
      'control.denied',
      'control.request-refused',
    ]);
    expect(entries.every((e) => e.viewer === 'Tina' && !Number.isNaN(Date.parse(e.time)))).toBe(true);
  });
});

describe('ConsentService after a Deny', () => {
  function clocked() {
    let now = 1_000_000;
    const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-consent-')), 'audit.jsonl'));
    const asks: string[] = [];
    const consent = new ConsentService(audit, { ask: (v) => asks.push(v), dismiss: () => undefined }, () => now);
    consent.beginSession('Tina', 'screen:0');
    return { consent, asks, advance: (ms: number) => (now += ms) };
  }

  it('waits exactly 10 s, then 30 s, then 60 s (and 60 s from then on) before the prompt may show again', () => {
    const { consent, asks, advance } = clocked();
    for (const wait of [10_000, 30_000, 60_000, 60_000]) {
      consent.request();
      consent.deny();
      const before = asks.length;
      advance(wait - 1);
      consent.request();
      expect(consent.current).toBe('cooldown');
      expect(consent.retryAfterMs()).toBe(1);
      expect(asks.length).toBe(before);
      advance(1);
      expect(consent.retryAfterMs()).toBe(0);
    }
  });

  it('"Don’t ask again" refuses every later request of the session; a new session starts clean', () => {
    const { consent, asks, advance } = clocked();
    consent.request();
    consent.deny(true);
    advance(24 * 3600_000);
    consent.request();
    expect(consent.current).toBe('blocked');
    expect(asks).toEqual(['Tina']);
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    expect(consent.current).toBe('requested');
  });

  it('a source change revokes a grant and an open request alike', () => {
    const { consent } = clocked();
    consent.request();
    consent.grant();
    consent.sourceChanged('window:7');
    expect(consent.current).toBe('revoked');
    expect(consent.allows('Tina', 'window:7')).toBe(false);
    consent.request();
    consent.sourceChanged('screen:0');
    expect(consent.current).toBe('revoked');
  });
});
