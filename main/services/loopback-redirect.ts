import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appRedirectQuerySchema } from '../../protocol/app-sign-in';

const CALLBACK_PATH = '/callback';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`: what the app sends the server as its redirect_uri. */
  redirectUri: string;
  /** The one-time code, once the browser arrived with the expected state; rejects on timeout or `close()`. */
  code: Promise<string>;
  close(): void;
}

export class LoopbackRedirectError extends Error {
  constructor(readonly code: 'SIGN_IN_ERR_TIMEOUT' | 'SIGN_IN_ERR_CANCELLED') {
    super(code);
  }
}

/**
 * RFC 8252 §7.3: a one-shot HTTP listener on 127.0.0.1 and a random port for the browser's redirect back to the app.
 * It takes exactly one request — GET /callback with the state the app made and a well-formed code — then answers
 * with a page telling the person to go back to PeerDesk, and closes. Anything else (another path, another state, a
 * page of another site probing loopback ports) gets an error and changes nothing.
 */
export async function listenForLoopbackRedirect(expectedState: string, timeoutMs: number): Promise<LoopbackRedirect> {
  let settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may never await it (an error elsewhere first): a rejection here must not go unhandled.
  code.catch(() => undefined);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'Nothing here.');
    const parsed = appRedirectQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success || parsed.data.state !== expectedState)
      return page(res, 400, 'Not this sign-in', 'PeerDesk is not waiting for this sign-in. Start it again from the app.');
    page(res, 200, 'Signed in', 'You can close this tab and return to PeerDesk.');
    settle.resolve(parsed.data.code);
    finish();
  });
  const timer = setTimeout(() => fail(new LoopbackRedirectError('SIGN_IN_ERR_TIMEOUT')), timeoutMs);
  timer.unref();
  const finish = () => {
    clearTimeout(timer);
    // The answer above is written already; idle keep-alive sockets go with the listener.
    server.close();
    server.closeIdleConnections();
  };
  const fail = (err: Error) => {
    settle.reject(err);
    finish();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () => fail(new LoopbackRedirectError('SIGN_IN_ERR_CANCELLED')),
  };
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  // Static text only: nothing from the request is echoed into the page.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — PeerDesk</title>
<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;padding:0 1em;color:#1d2733}
h1{font-size:1.4em}</style></head><body><h1 id="result">${title}</h1><p id="next">${text}</p></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
    Connection: 'close',
  });
  res.end(body);
}
