import { DESKTOP_APP_ORIGIN } from '../../protocol/limits';
import { isRecordingUploadPath, serverOrigin } from './credential-scope';

export interface UploadRelayDeps {
  /** The signaling WebSocket URL the app's viewer uses: its server is where the recording goes. */
  signalingUrl: () => string;
  /** The signed-in technician's Authorization for a request, by the one rule (`credential-scope.ts`). */
  authorizationFor: (url: string, method: string) => Promise<string | undefined>;
}

/** The upload's own headers (upload-recording.ts); nothing else of the page's request goes on. */
const FORWARDED = ['content-type', 'content-length', 'x-peerdesk-session', 'x-recording-sha256', 'x-recording-duration-ms'];

const answer = (status: number, error: string) =>
  new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

/**
 * The desktop app's page lives at app://peerdesk, whose CSP lets it reach its server only over WebSocket; its
 * `PUT /api/recordings/<id>` comes to main's `app:` handler, which sends it on to the server of the signaling URL
 * with the technician's credential added here (so the page never holds it) and the app's Origin (the server's CSRF
 * check knows it). Only the status and the server's JSON go back: no cookie, no redirect. A path that is not an
 * upload gets null (the caller serves its files).
 */
export async function relayRecordingUpload(request: Request, deps: UploadRelayDeps): Promise<Response | null> {
  const { pathname, search } = new URL(request.url);
  if (!isRecordingUploadPath(pathname)) return null;
  if (request.method !== 'PUT' || search) return answer(405, 'Use PUT.');
  const signalingUrl = deps.signalingUrl();
  if (!signalingUrl) return answer(404, 'No server to keep recordings.');
  const target = new URL(pathname, serverOrigin(signalingUrl)).href;
  const headers = new Headers({ origin: DESKTOP_APP_ORIGIN });
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const authorization = await deps.authorizationFor(target, 'PUT').catch(() => undefined);
  if (authorization) headers.set('authorization', authorization);
  try {
    const res = await fetch(target, {
      method: 'PUT',
      headers,
      body: request.body,
      redirect: 'manual',
      cache: 'no-store',
      ...({ duplex: 'half' } as object),
    });
    const type = res.headers.get('content-type') ?? 'application/json';
    return new Response(await res.text(), { status: res.status, headers: { 'content-type': type, 'cache-control': 'no-store' } });
  } catch {
    return answer(502, 'The server could not be reached.');
  }
}
