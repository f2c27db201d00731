import { describe, expect, it } from 'vitest';
import { lanViewerUrl } from '../../../main/services/lan-address';

describe('LAN address for browser viewers', () => {
  const nic = (address: string, internal = false, family = 'IPv4') => ({ address, internal, family }) as never;
  it('prefers a private IPv4 address and skips loopback and IPv6', () => {
    const url = lanViewerUrl(
      { lo: [nic('127.0.0.1', true)], eth0: [nic('fe80::1', false, 'IPv6'), nic('203.0.113.5')], wlan0: [nic('192.168.1.20')] },
      8787,
    );
    expect(url).toBe('http://192.168.1.20:8787');
  });
  it('says nothing when there is no network', () => {
    expect(lanViewerUrl({ lo: [nic('127.0.0.1', true)] }, 8787)).toBeUndefined();
  });
});
