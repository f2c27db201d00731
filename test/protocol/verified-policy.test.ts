import { describe, expect, it } from 'vitest';
import { settingsSchema, DEFAULT_SETTINGS } from '../../protocol/settings';
import { parseDomains, policyRefusal } from '../../protocol/verified-policy';

const tina = { name: 'Tina Smith', email: 'Tina@Example.com', issuer: 'login.example.com' };

describe('the “Only verified technicians” policy', () => {
  it('off: everyone may ask', () => {
    expect(policyRefusal({ onlyVerified: false, verifiedDomains: 'example.com' }, 'Tina from IT')).toBeUndefined();
  });

  it('on: a typed name is refused with a reason the host can read', () => {
    expect(policyRefusal({ onlyVerified: true, verifiedDomains: '' }, 'Tina from IT')).toMatch(/“Tina from IT”.*not signed in/);
  });

  it('on, no domains: any verified technician', () => {
    expect(policyRefusal({ onlyVerified: true, verifiedDomains: '' }, 'Tina Smith', tina)).toBeUndefined();
  });

  it.each([
    ['example.com', true],
    ['contoso.org, example.com', true],
    ['@example.com', true],
    ['contoso.org', false],
    ['ample.com', false],
    ['example.com.evil.net', false],
    ['com', false],
  ])('domains %j → allowed %s (exact domain, case-blind)', (domains, allowed) => {
    const refusal = policyRefusal({ onlyVerified: true, verifiedDomains: domains }, 'Tina Smith', tina);
    if (allowed) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(/declined automatically/);
  });

  it('a domain list that is not one is refused by the settings schema', () => {
    expect(parseDomains('example.com; Contoso.org')).toEqual(['example.com', 'contoso.org']);
    expect(parseDomains('not a domain!')).toBeUndefined();
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, onlyVerified: true, verifiedDomains: 'exa mple!' }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, onlyVerified: true, verifiedDomains: 'example.com' }).success).toBe(true);
  });
});
