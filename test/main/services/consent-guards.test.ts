import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/services/audit-log';
import { ConsentService } from '../../../main/services/consent-service';
import type { ControlState } from '../../../protocol/control-messages';
import type { VerifiedPolicy } from '../../../protocol/verified-policy';

/** The consent gate's edges, one rule per test: each kills mutants `npm run mutation` found alive. */
function setup(policy?: VerifiedPolicy) {
  const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-consent-')), 'audit.jsonl'));
  const asks: string[] = [];
  const consent = new ConsentService(
    audit,
    { ask: (v) => void asks.push(v), dismiss: () => undefined },
    Date.now,
    policy && (() => policy),
  );
  const states: ControlState[] = [];
  consent.onChange((s) => void states.push(s));
  const events = () => audit.read().map(({ event, viewer, reason }) => ({ event, viewer, reason }));
  return { consent, asks, states, events };
}

function granted() {
  const s = setup();
  s.consent.beginSession('Tina', 'screen:0');
  s.consent.request();
  s.consent.grant();
  return s;
}

describe('ConsentService guards', () => {
  it('starts at none with nothing to wait for, before any session', () => {
    const { consent } = setup();
    expect(consent.current).toBe('none');
    expect(consent.retryAfterMs()).toBe(0);
  });

  it('asks the host once for a request that is already open', () => {
    const { consent, asks, events } = setup();
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    consent.request();
    expect(asks).toEqual(['Tina']);
    expect(events().filter((e) => e.event === 'control.requested')).toHaveLength(1);
  });

  it('a viewer the "only verified" policy refuses is blocked for the rest of the session', () => {
    const { consent, asks } = setup({ onlyVerified: true, verifiedDomains: '' });
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    expect(asks).toEqual([]);
    expect(consent.current).toBe('blocked');
    expect(consent.retryAfterMs()).toBe(Infinity);
  });

  it('a Deny with nothing requested does nothing; a Deny of a request says denied', () => {
    const { consent, states, events } = setup();
    consent.beginSession('Tina', 'screen:0');
    states.length = 0;
    consent.deny();
    expect(consent.current).toBe('none');
    expect(consent.retryAfterMs()).toBe(0);
    expect(states).toEqual([]);
    consent.request();
    consent.deny();
    expect(consent.current).toBe('denied');
    expect(events().map((e) => e.event)).toEqual(['control.requested', 'control.denied']);
  });

  it('a revoke with nothing granted or requested changes nothing', () => {
    const { consent, states, events } = setup();
    consent.beginSession('Tina', 'screen:0');
    states.length = 0;
    consent.revoke('hotkey');
    expect(consent.current).toBe('none');
    expect(states).toEqual([]);
    expect(events()).toEqual([]);
  });

  it('a source change revokes with its reason, and the next grant is for the new source', () => {
    const { consent, events } = granted();
    consent.sourceChanged('window:9');
    expect(events().at(-1)).toEqual({ event: 'control.revoked', viewer: 'Tina', reason: 'source-changed' });
    consent.request();
    consent.grant();
    expect(consent.allows('Tina', 'window:9')).toBe(true);
    expect(consent.allows('Tina', 'screen:0')).toBe(false);
  });

  it('a source change without a session starts nothing', () => {
    const { consent, asks } = setup();
    consent.sourceChanged('window:9');
    consent.request();
    expect(asks).toEqual([]);
    expect(consent.current).toBe('none');
  });

  it('ending a session records control.ended only when control was granted or requested', () => {
    const active = granted();
    active.consent.endSession('disconnected');
    expect(active.events().at(-1)).toEqual({ event: 'control.ended', viewer: 'Tina', reason: 'disconnected' });

    const asked = setup();
    asked.consent.beginSession('Tina', 'screen:0');
    asked.consent.request();
    asked.consent.endSession('left');
    expect(asked.events().at(-1)).toEqual({ event: 'control.ended', viewer: 'Tina', reason: 'left' });

    const idle = setup();
    idle.consent.beginSession('Tina', 'screen:0');
    idle.consent.endSession('left');
    idle.consent.beginSession('Tina', 'screen:0');
    idle.consent.request();
    idle.consent.deny();
    idle.consent.endSession('left');
    expect(idle.events().map((e) => e.event)).not.toContain('control.ended');
  });

  it('ending when no session runs tells no listener', () => {
    const { consent, states } = setup();
    consent.endSession('left');
    expect(states).toEqual([]);
  });

  it('an unsubscribed listener hears nothing more', () => {
    const { consent } = setup();
    const heard: ControlState[] = [];
    const off = consent.onChange((s) => void heard.push(s));
    off();
    consent.beginSession('Tina', 'screen:0');
    consent.request();
    expect(heard).toEqual([]);
  });
});
