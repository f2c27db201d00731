import { type Session, shell } from 'electron';
import type { TechnicianSignIn } from '../services/technician-sign-in';

/**
 * Opens the server's sign-in page in the person's own browser. Only http(s): `shell.openExternal` would hand any
 * other scheme (file:, a custom handler) to the operating system.
 */
export async function openInSystemBrowser(url: string): Promise<void> {
  if (!/^https?:$/.test(new URL(url).protocol)) throw new Error(`refused to open ${new URL(url).protocol} in the browser`);
  // Reviewed: only http(s), checked on the line above (Electronegativity cannot see that check).
  await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
}

/**
 * The signed-in technician's credential goes on the viewer's WebSocket upgrade (the service decides which request:
 * only /ws of the server it came from), added here by main, so the page never holds it — as a browser sends the
 * HttpOnly cookie. Electron allows one listener per session for this hook: this is it.
 */
export function attachTechnicianCredential(session: Pick<Session, 'webRequest'>, signIn: Pick<TechnicianSignIn, 'authorizationFor'>): void {
  session.webRequest.onBeforeSendHeaders({ urls: ['ws://*/*', 'wss://*/*'] }, (details, callback) => {
    signIn.authorizationFor(details.url, details.method).then(
      (authorization) =>
        callback({ requestHeaders: authorization ? { ...details.requestHeaders, Authorization: authorization } : details.requestHeaders }),
      () => callback({ requestHeaders: details.requestHeaders }),
    );
  });
}
