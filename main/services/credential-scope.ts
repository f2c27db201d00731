import { recordingIdSchema } from '../../protocol/recordings';

/** The server's HTTP origin for a signaling WebSocket URL (ws://host:port/ws → http://host:port). */
export function serverOrigin(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return url.origin;
}

const UPLOAD_PREFIX = '/api/recordings/';

/** `/api/recordings/<id>` with a well-formed id: the one HTTP path the app's technician sends a recording to. */
export function isRecordingUploadPath(pathname: string): boolean {
  return pathname.startsWith(UPLOAD_PREFIX) && recordingIdSchema.safeParse(pathname.slice(UPLOAD_PREFIX.length)).success;
}

/**
 * Which requests carry the signed-in technician's credential: only to the server it came from (`origin`, its http(s)
 * origin), and there only the viewer's WebSocket upgrade (`/ws`) and the upload of a recording (`PUT
 * /api/recordings/<id>`, no query). Anything else — another server, another path, another method, a look at a
 * recording — goes without it, so a page that steers a request elsewhere learns nothing.
 */
export function credentialGoesTo(requestUrl: string, method: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (/^wss?:$/.test(url.protocol)) return url.pathname === '/ws' && serverOrigin(url.href) === origin;
  if (!/^https?:$/.test(url.protocol) || url.origin !== origin) return false;
  return method.toUpperCase() === 'PUT' && url.search === '' && isRecordingUploadPath(url.pathname);
}
