import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingMetaSchema } from '../../../protocol/recordings';
import { credentialGoesTo, serverOrigin } from '../../../main/services/credential-scope';
import { relayRecordingUpload } from '../../../main/services/recording-upload-relay';
import type { RunningSignalingServer } from '../../../signaling/server';
import {
  appAuthorizationFor,
  freshRecordingsDir,
  newId,
  sha256Of,
  start,
  TINA,
  webmLike,
} from '../../signaling/recordings/recordings-http';

/**
 * The desktop app's recording upload: the page's PUT to app://peerdesk/api/recordings/<id> goes on, through main, to
 * a real server with --recordings-dir, carrying the signed-in technician's credential (which the page never had).
 */
let server: RunningSignalingServer;
let bearer: string;
beforeAll(async () => {
  server = await start({ recordingsDir: freshRecordingsDir(), recordingsMaxMib: 1 });
  bearer = await appAuthorizationFor(server, TINA);
}, 30_000);
afterAll(() => server?.close());

/** What TechnicianSignIn.authorizationFor answers while signed in to `server`: by the same rule. */
const signedIn = () =>
  vi.fn(async (url: string, method: string) => (credentialGoesTo(url, method, serverOrigin(server.wsUrl)) ? bearer : undefined));

/** The page's request as upload-recording.ts makes it, with whatever else a page might add. */
function pageRequest(id: string, body: Uint8Array, extra: Record<string, string> = {}, method = 'PUT') {
  return new Request(`app://peerdesk/api/recordings/${id}`, {
    method,
    headers: {
      'content-type': 'video/webm',
      'x-peerdesk-session': '123456789',
      'x-recording-sha256': sha256Of(body),
      'x-recording-duration-ms': '1500',
      ...extra,
    },
    ...(method === 'PUT' ? { body: new Blob([new Uint8Array(body)]) } : {}),
  });
}

describe('relayRecordingUpload', () => {
  it('sends the upload to the signaling server with the technician’s credential: kept, by the signed-in technician', async () => {
    const body = webmLike(5000);
    const id = newId();
    const authorizationFor = signedIn();
    const res = (await relayRecordingUpload(pageRequest(id, body), { signalingUrl: () => server.wsUrl, authorizationFor }))!;
    expect(res.status).toBe(201);
    expect(recordingMetaSchema.parse(await res.json())).toMatchObject({ id, size: 5000, sha256: sha256Of(body), by: { email: TINA } });
    expect(authorizationFor).toHaveBeenCalledWith(`${server.url}/api/recordings/${id}`, 'PUT');
    // No cookie, no Location: only the status and the server's JSON come back to the page.
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('location')).toBeNull();
  });

  it('passes on none of the page’s own credentials: signed out, a forged Authorization or cookie is refused (401)', async () => {
    const body = webmLike(3000);
    const res = (await relayRecordingUpload(pageRequest(newId(), body, { authorization: bearer, cookie: 'peerdesk-session=x' }), {
      signalingUrl: () => server.wsUrl,
      authorizationFor: async () => undefined,
    }))!;
    expect(res.status).toBe(401);
  });

  it('the server refuses a credential it did not seal (401)', async () => {
    const res = (await relayRecordingUpload(pageRequest(newId(), webmLike(100)), {
      signalingUrl: () => server.wsUrl,
      authorizationFor: async () => 'Bearer not-a-sealed-credential',
    }))!;
    expect(res.status).toBe(401);
  });

  it('leaves every other app: path to the file handler, and relays only PUT', async () => {
    const authorizationFor = signedIn();
    const deps = { signalingUrl: () => server.wsUrl, authorizationFor };
    expect(await relayRecordingUpload(new Request('app://peerdesk/index.html'), deps)).toBeNull();
    expect(await relayRecordingUpload(new Request('app://peerdesk/api/recordings'), deps)).toBeNull();
    expect(await relayRecordingUpload(new Request('app://peerdesk/api/recordings/short'), deps)).toBeNull();
    expect((await relayRecordingUpload(pageRequest(newId(), webmLike(10), {}, 'GET'), deps))!.status).toBe(405);
    expect(authorizationFor).not.toHaveBeenCalled();
  });
});
