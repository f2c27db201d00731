import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2EHarness } from '../support/e2e-harness';
import { TestClient } from '../support/signaling-client';

let harness: E2EHarness;
beforeAll(async () => {
  harness = await E2EHarness.start({ devIdp: true, oidcAllowed: ['@example.com'] });
});
afterAll(() => harness.stop());

describe('technician sign-in in Chromium (dev identity provider: a real oidc-provider)', () => {
  it('signs in through the provider, joins with the verified identity whatever name was typed, and signs out', async () => {
    const viewer = await harness.viewerPage();
    await viewer.waitForSelector('#sign-in-status[data-signed-in="false"] #sign-in');
    await viewer.screenshot({ path: 'test-results/sign-in-status-signed-out.png' });

    await viewer.click('#sign-in');
    await viewer.fill('input[name="login"]', 'tech@example.com');
    await viewer.fill('input[name="password"]', 'any password');
    await viewer.click('button[type="submit"]');
    await viewer.click('button:has-text("Continue")');
    await viewer.waitForSelector('#sign-in-status[data-signed-in="true"]');
    expect(await viewer.textContent('#sign-in-status')).toBe('Signed in as Test Technician (tech@example.com) · Sign out');
    expect(await viewer.inputValue('#join-name')).toBe('Test Technician');
    await viewer.screenshot({ path: 'test-results/sign-in-status-signed-in.png' });

    const me = await viewer.evaluate(() => fetch('/auth/me').then((r) => r.json()));
    expect(me).toMatchObject({ enabled: true, signedIn: true, name: 'Test Technician', email: 'tech@example.com', org: 'Example IT' });
    // HttpOnly: no page script sees the session (or any token).
    expect(await viewer.evaluate(() => document.cookie)).toBe('');

    const host = await TestClient.connect(harness.server.wsUrl);
    host.send({ type: 'host.open', v: 1 });
    const opened = await host.next('host.opened');
    await viewer.fill('#join-code', opened.code);
    await viewer.fill('#join-pin', opened.pin);
    // A page edited by the technician types another name into the locked field: the server ignores it.
    await viewer.evaluate(() => {
      const name = document.querySelector<HTMLInputElement>('#join-name')!;
      name.readOnly = false;
      name.value = 'Bob the Typist';
    });
    await viewer.click('#join-submit');
    const request = await host.next('join.request');
    expect(request.name).toBe('Test Technician');
    expect(request.identity).toEqual({
      name: 'Test Technician',
      email: 'tech@example.com',
      org: 'Example IT',
      issuer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    host.send({ type: 'host.decide', requestId: request.requestId, allow: false });
    host.close();

    // Declined: the viewer sees the end card; a fresh join form offers the sign-out.
    await viewer.goto(`${harness.server.url}/?role=viewer`);
    await viewer.click('#sign-out');
    await viewer.waitForSelector('#sign-in-status[data-signed-in="false"]');
    expect(await viewer.evaluate(() => fetch('/auth/me').then((r) => r.json()))).toMatchObject({ signedIn: false });
  });

  it('someone the provider knows but the policy does not is refused with a clear page, and stays signed out', async () => {
    const viewer = await harness.viewerPage();
    await viewer.click('#sign-in');
    await viewer.fill('input[name="login"]', 'visitor@elsewhere.example');
    await viewer.fill('input[name="password"]', 'any password');
    await viewer.click('button[type="submit"]');
    await viewer.click('button:has-text("Continue")');
    await viewer.waitForSelector('#auth-result');
    expect(await viewer.textContent('#auth-result h2')).toBe('Not a technician here');
    expect(await viewer.textContent('#auth-result p')).toContain("visitor@elsewhere.example is not on this server's list of technicians");
    await viewer.screenshot({ path: 'test-results/sign-in-refused.png' });
    await viewer.click('text=Back to PeerDesk');
    await viewer.goto(`${harness.server.url}/?role=viewer`);
    await viewer.waitForSelector('#sign-in-status[data-signed-in="false"]');
  });
});
