import { describe, expect, it } from 'vitest';
import { SignInPolicy, parseRules } from '../../../signaling/auth/policy';
import { safeReturnPath } from '../../../signaling/auth/auth-pages';

describe('sign-in policy', () => {
  const policy = new SignInPolicy(
    ['@example.com', 'Contractor@Partner.example', 'group:helpdesk'],
    ['group:admins', 'boss@elsewhere.example'],
  );

  it('allows by domain, by email (any case) and by group; admins are technicians too', () => {
    expect(policy.isAllowed({ email: 'ana@example.com', groups: [] })).toBe(true);
    expect(policy.isAllowed({ email: 'contractor@partner.example', groups: [] })).toBe(true);
    expect(policy.isAllowed({ email: 'x@nowhere.example', groups: ['helpdesk'] })).toBe(true);
    expect(policy.isAllowed({ email: 'boss@elsewhere.example', groups: [] })).toBe(true);
    expect(policy.isAdmin({ email: 'boss@elsewhere.example', groups: [] })).toBe(true);
    expect(policy.isAdmin({ email: 'ana@example.com', groups: [] })).toBe(false);
  });

  it('refuses others, look-alike domains and addresses the provider did not verify', () => {
    expect(policy.isAllowed({ email: 'eve@evil.example', groups: [] })).toBe(false);
    expect(policy.isAllowed({ email: 'eve@notexample.com', groups: [] })).toBe(false);
    expect(policy.isAllowed({ email: 'eve@example.com.evil.example', groups: [] })).toBe(false);
    expect(policy.isAllowed({ email: 'ana@example.com', emailVerified: false, groups: [] })).toBe(false);
  });

  it('refuses a malformed rule at start', () => {
    expect(() => parseRules(['example.com'])).toThrow(/expected @domain/);
  });
});

describe('return path after sign-in', () => {
  it.each([
    ['/#join?code=1&pin=2', '/#join?code=1&pin=2'],
    ['/?role=viewer', '/?role=viewer'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    [null, '/'],
  ])('%s → %s', (asked, back) => expect(safeReturnPath(asked)).toBe(back));
});
