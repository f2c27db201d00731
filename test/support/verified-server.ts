import type { Page } from 'playwright-core';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';

type Asker = { type: string; name?: string };

/** Rewrites who is asking in every `join.request` and `peer.admitted` on the host page's signaling path. */
async function rewriteAsker(page: Page, rewrite: (m: Asker) => Asker): Promise<void> {
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((raw) => {
      const m = JSON.parse(String(raw)) as Asker;
      if (m.type !== 'join.request' && m.type !== 'peer.admitted') return ws.send(raw);
      ws.send(JSON.stringify(rewrite(m)));
    });
    ws.onMessage((raw) => server.send(raw));
  });
}

/**
 * Stands in for a server that verified a technician through sign-in (the real one does it in
 * test/e2e/technician-sign-in.test.ts): the identity lets these host tests pick any technician and organisation.
 * Install before the page loads.
 */
export const attachVerifiedIdentity = (page: Page, identity: VerifiedIdentity) =>
  rewriteAsker(page, (m) => ({ ...m, name: identity.name, identity }));

/**
 * Stands in for a permissive (older, or not ours) server that relays any typed name: ours refuses names dressed as
 * verified ones, and the host's own prompt must still warn about them.
 */
export const relayTypedName = (page: Page, name: string) => rewriteAsker(page, (m) => ({ ...m, name }));

export const TINA: VerifiedIdentity = {
  name: 'Tina Smith',
  email: 'tina.smith@example.com',
  org: 'Example IT Services',
  issuer: 'login.example.com',
};
