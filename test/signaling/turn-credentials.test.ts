import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grantFor, iceServersFor, iceServersWith, mintTurnCredential } from '../../signaling/turn-credentials';

describe('TURN credentials (coturn use-auth-secret)', () => {
  it('username is expiry:label and the credential is base64 HMAC-SHA1 of it', () => {
    const { username, credential } = mintTurnCredential('s3cret', 'abc', 600, 1_700_000_000_000);
    expect(username).toBe('1700000600:abc');
    expect(credential).toBe(createHmac('sha1', 's3cret').update('1700000600:abc').digest('base64'));
  });

  it('hands out STUN alone without a TURN secret, and never a static TURN password', () => {
    const config = { stunUrls: ['stun:a'], turnUrls: ['turn:b'], turnCredentialTtlS: 60 };
    expect(iceServersFor(config, 'x')).toEqual([{ urls: ['stun:a'] }]);
    const servers = iceServersFor({ ...config, turnSecret: 'k' }, 'x');
    expect(servers[1].username).toMatch(/^\d+:x$/);
    expect(servers[1].credential).not.toBe('k');
  });
});

describe('TURN grants: handed again while fresh, re-minted past half their life', () => {
  const NOW = 1_700_000_000_500;
  const config = { stunUrls: ['stun:a'], turnUrls: ['turn:b'], turnSecret: 'k', turnCredentialTtlS: 600 };

  it('mints with whole seconds: the expiry in the username and expiresAt agree', () => {
    const grant = grantFor(config, undefined, () => 'label', NOW)!;
    expect(grant.username).toBe('1700000600:label');
    expect(grant.expiresAt).toBe(1_700_000_600_000);
    expect(grant.credential).toBe(createHmac('sha1', 'k').update('1700000600:label').digest('base64'));
  });

  it('none without TURN URLs or without a secret, and no label is drawn for it', () => {
    let labels = 0;
    const label = () => (labels++, 'x');
    expect(grantFor({ ...config, turnUrls: [] }, undefined, label, NOW)).toBeUndefined();
    expect(grantFor({ ...config, turnSecret: undefined }, undefined, label, NOW)).toBeUndefined();
    expect(grantFor({ ...config, turnSecret: '' }, undefined, label, NOW)).toBeUndefined();
    expect(labels).toBe(0);
  });

  it('the held grant while more than half its life is left; a fresh one from exactly half', () => {
    let labels = 0;
    const label = () => `l${++labels}`;
    const held = { username: 'held', credential: 'c', expiresAt: NOW + 300_001 };
    expect(grantFor(config, held, label, NOW)).toBe(held);
    expect(labels).toBe(0);
    const halfGone = { ...held, expiresAt: NOW + 300_000 };
    const fresh = grantFor(config, halfGone, label, NOW)!;
    expect(fresh).not.toBe(halfGone);
    expect(fresh.username).toBe('1700000600:l1');
  });

  it('ICE servers: STUN when configured, TURN with the grant’s credential when there is one', () => {
    const grant = { username: 'u', credential: 'c', expiresAt: NOW };
    expect(iceServersWith(config, grant)).toEqual([{ urls: ['stun:a'] }, { urls: ['turn:b'], username: 'u', credential: 'c' }]);
    expect(iceServersWith({ ...config, stunUrls: [] }, grant)).toEqual([{ urls: ['turn:b'], username: 'u', credential: 'c' }]);
    expect(iceServersWith({ ...config, stunUrls: [] }, undefined)).toEqual([]);
  });
});
