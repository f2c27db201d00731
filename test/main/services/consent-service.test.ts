import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/services/audit-log';
import { ConsentService } from '../../../main/services/consent-service';
import type { VerifiedIdentity } from '../../../protocol/signaling-messages';
import type { VerifiedPolicy } from '../../../protocol/verified-policy';

function setup(policy?: VerifiedPolicy) {
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
  const consent = new ConsentService(audit, prompt, Date.now, policy && (() => policy));
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

  describe('the host’s “Only verified technicians” setting, enforced in main', () => {
    const tina: VerifiedIdentity = { name: 'Tina Smith', email: 'tina@example.com', org: 'Example IT', issuer: 'login.example.com' };

    it('refuses control to a viewer the page admitted without a verified identity: no prompt, audited', () => {
      const { consent, prompt, audit } = setup({ onlyVerified: true, verifiedDomains: '' });
      consent.admitted('Tina from IT');
      consent.beginSession('Tina from IT', 'screen:0');
      consent.request();
      expect(prompt.asks).toEqual([]);
      expect(consent.current).toBe('blocked');
      consent.grant();
      expect(consent.allows('Tina from IT', 'screen:0')).toBe(false);
      expect(audit.read().at(-1)).toMatchObject({ event: 'control.request-refused', viewer: 'Tina from IT', reason: 'not-verified' });
    });

    it('refuses a verified viewer whose email is outside the listed domains, and one the page never reported', () => {
      const outsider = setup({ onlyVerified: true, verifiedDomains: 'contoso.org' });
      outsider.consent.admitted('Tina Smith', tina);
      outsider.consent.beginSession('Tina Smith', 'screen:0');
      outsider.consent.request();
      expect(outsider.prompt.asks).toEqual([]);
      // The identity belongs to whom the page admitted: another name in the session gets none of it.
      const swapped = setup({ onlyVerified: true, verifiedDomains: 'example.com' });
      swapped.consent.admitted('Tina Smith', tina);
      swapped.consent.beginSession('Mallory', 'screen:0');
      swapped.consent.request();
      expect(swapped.prompt.asks).toEqual([]);
    });

    it('asks the host as usual for a verified viewer from a listed domain, and passes the identity to the prompt', () => {
      const { consent, prompt } = setup({ onlyVerified: true, verifiedDomains: 'contoso.org, Example.com' });
      const identities: Array<VerifiedIdentity | undefined> = [];
      const ask = prompt.ask.bind(prompt);
      prompt.ask = (viewer: string, identity?: VerifiedIdentity) => (identities.push(identity), ask(viewer));
      consent.admitted('Tina Smith', tina);
      consent.beginSession('Tina Smith', 'screen:0');
      consent.request();
      expect(prompt.asks).toEqual(['Tina Smith']);
      expect(identities).toEqual([tina]);
      consent.grant();
      expect(consent.allows('Tina Smith', 'screen:0')).toBe(true);
    });

    it('off (the default): an unverified viewer is asked about as before', () => {
      const { consent, prompt } = setup();
      consent.beginSession('Tina from IT', 'screen:0');
      consent.request();
      expect(prompt.asks).toEqual(['Tina from IT']);
    });
  });
});
