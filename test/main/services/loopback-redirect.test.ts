import { describe, expect, it } from 'vitest';
import { listenForLoopbackRedirect, LoopbackRedirectError } from '../../../main/services/loopback-redirect';

const STATE = 'a'.repeat(32);
const CODE = 'c'.repeat(43);

describe('the loopback redirect listener (RFC 8252 §7.3)', () => {
  it('listens on 127.0.0.1 only, takes the expected path and state once, says to go back to PeerDesk, and closes', async () => {
    const loopback = await listenForLoopbackRedirect(STATE, 10_000);
    const base = new URL(loopback.redirectUri);
    expect(base.hostname).toBe('127.0.0.1');
    expect(base.pathname).toBe('/callback');

    expect((await fetch(new URL(`/other?code=${CODE}&state=${STATE}`, base))).status).toBe(404);
    const wrongState = await fetch(`${loopback.redirectUri}?code=${CODE}&state=${'b'.repeat(32)}`);
    expect(wrongState.status).toBe(400);
    expect(await wrongState.text()).toContain('PeerDesk is not waiting for this sign-in');
    // A request that carries anything else (a token, say) is not the redirect either.
    expect((await fetch(`${loopback.redirectUri}?code=${CODE}&state=${STATE}&access_token=x`)).status).toBe(400);

    const ok = await fetch(`${loopback.redirectUri}?code=${CODE}&state=${STATE}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('You can close this tab and return to PeerDesk.');
    expect(await loopback.code).toBe(CODE);
    // Once: the listener is gone.
    await expect(fetch(`${loopback.redirectUri}?code=${CODE}&state=${STATE}`)).rejects.toThrow();
  });

  it('gives up after its timeout, and on close', async () => {
    const slow = await listenForLoopbackRedirect(STATE, 50);
    await expect(slow.code).rejects.toMatchObject({ code: 'SIGN_IN_ERR_TIMEOUT' });
    await expect(fetch(slow.redirectUri)).rejects.toThrow();
    const cancelled = await listenForLoopbackRedirect(STATE, 10_000);
    cancelled.close();
    await expect(cancelled.code).rejects.toBeInstanceOf(LoopbackRedirectError);
  });
});
