import pino from 'pino';
import { CookieSealer } from '../../../signaling/auth/sealed-cookie';
import { startSignalingServer, type RunningSignalingServer, type StartOptions } from '../../../signaling/server';
import { TestClient } from '../../support/signaling-client';

/** Shared by every test server, so a cookie sealed here opens on any of them (as `--session-secret` does). */
export const SECRET = 'queue-test-secret';

/** A real server with the dev identity provider on (sign-in, hence the queue, is on). */
export function startQueueServer(options: StartOptions = {}): Promise<RunningSignalingServer> {
  return startSignalingServer({ port: 0, devIdp: true, sessionSecret: SECRET, logger: pino({ level: 'silent' }), ...options });
}

/**
 * The sign-in cookie the server would set after the provider's login, sealed with signaling/auth's own sealer for a
 * test technician (the browser flow itself is the auth helper's to test). The issuer is the server's dev provider.
 */
export async function technicianCookie(server: { url: string }, email = 'tech@example.com', name = 'Test Technician') {
  const me = (await (await fetch(`${server.url}/auth/me`)).json()) as { issuer: string };
  const session = { sub: email, name, email, org: 'Example IT', issuer: me.issuer, admin: false };
  const sealed = await new CookieSealer(SECRET).seal(session, 'session', Math.floor(Date.now() / 1000) + 3600);
  return `peerdesk-session=${sealed}`;
}

export async function technician(
  server: Pick<RunningSignalingServer, 'url' | 'wsUrl'>,
  email?: string,
  name?: string,
): Promise<TestClient> {
  return TestClient.connect(server.wsUrl, { headers: { cookie: await technicianCookie(server, email, name) } });
}

/** A host with an open session that asked for help; resolves once its request is queued. */
export async function askingHost(wsUrl: string, fields: Record<string, unknown> = {}, localAddress = '127.0.0.1') {
  const host = await TestClient.connect(wsUrl, { localAddress });
  host.send({ type: 'host.open', v: 1 });
  await host.next('host.opened');
  host.send({
    type: 'help.request',
    name: 'Pat Person',
    description: 'Printer says <b>offline</b>',
    os: 'Linux',
    app: 'PeerDesk desktop',
    ...fields,
  });
  const queued = await host.next('help.queued');
  return { host, queued };
}
