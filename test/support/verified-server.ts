import type { Page } from 'playwright-core';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';

/**
 * Until technician sign-in lands on the server, this stands in for a server that attaches it: on the host page's
 * signaling path (the real server behind it), every `join.request` and `peer.admitted` gets the identity a
 * sign-in would have verified, exactly as the server will send it. Install before the page loads.
 */
export async function attachVerifiedIdentity(page: Page, identity: VerifiedIdentity): Promise<void> {
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((raw) => {
      const m = JSON.parse(String(raw)) as { type: string; name?: string };
      if (m.type !== 'join.request' && m.type !== 'peer.admitted') return ws.send(raw);
      ws.send(JSON.stringify({ ...m, name: identity.name, identity }));
    });
    ws.onMessage((raw) => server.send(raw));
  });
}

export const TINA: VerifiedIdentity = {
  name: 'Tina Smith',
  email: 'tina.smith@example.com',
  org: 'Example IT Services',
  issuer: 'login.example.com',
};
