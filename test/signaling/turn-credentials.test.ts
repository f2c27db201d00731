import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor, mintTurnCredential } from '../../signaling/turn-credentials';

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
