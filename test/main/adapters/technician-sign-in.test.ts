import { describe, expect, it, vi } from 'vitest';
import { attachTechnicianCredential, openInSystemBrowser } from '../../../main/adapters/technician-sign-in';
import { FakeSession, shell } from '../../support/electron-fake';

vi.mock('electron', () => import('../../support/electron-fake'));

describe('technician sign-in adapter', () => {
  it('opens only http(s) pages in the system browser', async () => {
    await openInSystemBrowser('http://127.0.0.1:8787/auth/app/login?state=x');
    expect(shell.opened).toEqual(['http://127.0.0.1:8787/auth/app/login?state=x']);
    await expect(openInSystemBrowser('file:///etc/passwd')).rejects.toThrow(/refused to open file:/);
    await expect(openInSystemBrowser('peerdesk-evil://x')).rejects.toThrow(/refused/);
    expect(shell.opened).toHaveLength(1);
  });

  it('adds the Authorization the service gives for a WebSocket request, and leaves other requests as they are', async () => {
    const session = new FakeSession();
    const authorizationFor = vi.fn(async (url: string) => (url === 'ws://server.example:8787/ws' ? 'Bearer sealed' : undefined));
    attachTechnicianCredential(session as never, { authorizationFor });
    expect(session.beforeSendHeaders!.filter.urls).toEqual(['ws://*/*', 'wss://*/*']);
    const send = (url: string) =>
      new Promise((resolve) => session.beforeSendHeaders!.listener({ url, requestHeaders: { Origin: 'app://peerdesk' } }, resolve));
    expect(await send('ws://server.example:8787/ws')).toEqual({
      requestHeaders: { Origin: 'app://peerdesk', Authorization: 'Bearer sealed' },
    });
    expect(await send('ws://elsewhere.example/ws')).toEqual({ requestHeaders: { Origin: 'app://peerdesk' } });
    // A failing service never holds the request up.
    authorizationFor.mockRejectedValueOnce(new Error('down'));
    expect(await send('ws://server.example:8787/ws')).toEqual({ requestHeaders: { Origin: 'app://peerdesk' } });
  });
});
