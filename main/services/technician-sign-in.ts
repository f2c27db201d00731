import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { type AppSession, type AppTechnician, appSessionSchema, type TechnicianStatus } from '../../protocol/app-sign-in';
import { credentialGoesTo, serverOrigin } from './credential-scope';
import { listenForLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';

export { serverOrigin };

/** How long the person has to get through the identity provider's pages in the browser. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface TechnicianSignInDeps {
  /** The WebSocket URL the app's viewer connects to (the configured server, or the embedded one). */
  signalingUrl: () => string;
  /** Opens a URL in the system browser (Electron's shell.openExternal, through main/adapters). */
  openExternal: (url: string) => Promise<void>;
  timeoutMs?: number;
}

export type SignInErrorCode = 'SIGN_IN_ERR_OFF' | 'SIGN_IN_ERR_REFUSED' | 'SIGN_IN_ERR_SERVER';

export class TechnicianSignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

interface Held {
  /** The server's http(s) origin the credential belongs to: it goes to that server only. */
  origin: string;
  credential: string;
  session: AppSession;
}

const meSchema = z.looseObject({ enabled: z.boolean() });

/** The server's public /auth/me: does it offer sign-in at all (false when it cannot be reached)? */
async function offersSignIn(origin: string): Promise<boolean> {
  return fetch(new URL('/auth/me', origin), { cache: 'no-store' })
    .then(async (r) => meSchema.parse(await r.json()).enabled)
    .catch(() => false);
}

/**
 * The desktop app's technician sign-in (RFC 8252: native apps sign in through the system browser): a one-shot
 * loopback listener, PKCE (S256) and a state of our own, the server's /auth/app/login opened in the person's own
 * browser (where their identity provider session, password manager and security keys are — no password is ever typed
 * into a page of ours), then the one-time code from the redirect exchanged with the verifier for the server's sealed
 * credential. The credential never leaves main: `authorizationFor` adds it to the WebSocket upgrade to that server
 * and to a recording's upload there.
 * Plain TypeScript, no Electron: the adapter gives it `shell.openExternal` and the session's request hook.
 */
export class TechnicianSignIn {
  private held?: Held;
  private pending?: LoopbackRedirect;

  constructor(private readonly deps: TechnicianSignInDeps) {}

  async signIn(): Promise<AppTechnician> {
    // One sign-in at a time: a second click starts over (the first tab's redirect then finds no listener).
    this.pending?.close();
    const origin = serverOrigin(this.deps.signalingUrl());
    // A server without sign-in would leave the person on a "Sign-in is off" page and the app waiting.
    if (!(await offersSignIn(origin))) throw new TechnicianSignInError('SIGN_IN_ERR_OFF', 'the server offers no technician sign-in');
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(24).toString('base64url');
    const loopback = await listenForLoopbackRedirect(state, this.deps.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
    this.pending = loopback;
    try {
      const login = new URL('/auth/app/login', origin);
      login.search = new URLSearchParams({
        redirect_uri: loopback.redirectUri,
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      // Reviewed: a URL built here on the configured server's origin, opened by the adapter only if http(s).
      await this.deps.openExternal(login.href); // eng-disable OPEN_EXTERNAL_JS_CHECK
      const code = await loopback.code;
      const body = { code, code_verifier: verifier, state, redirect_uri: loopback.redirectUri };
      const session = await this.call(origin, '/auth/app/token', { method: 'POST', body: JSON.stringify(body) });
      if (!session.credential) throw new TechnicianSignInError('SIGN_IN_ERR_SERVER', 'no credential in the answer');
      this.held = { origin, credential: session.credential, session };
      return session.technician;
    } finally {
      loopback.close();
      if (this.pending === loopback) this.pending = undefined;
    }
  }

  /** Forgets the credential (it lived only in this process); a sign-in under way is cancelled. */
  signOut(): void {
    this.pending?.close();
    this.held = undefined;
  }

  /** Whether the server offers sign-in, and who is signed in here (checked at the server: revoked → signed out). */
  async status(): Promise<TechnicianStatus> {
    const origin = serverOrigin(this.deps.signalingUrl());
    const technician = (await this.fresh(origin))?.session.technician ?? null;
    return technician ? { enabled: true, technician } : { enabled: await offersSignIn(origin), technician: null };
  }

  /**
   * The Authorization header for a request main is about to send: the credential only where `credentialGoesTo`
   * says (the WebSocket upgrade and a recording's upload, to the server it came from), renewed first when its access
   * token is due.
   */
  async authorizationFor(requestUrl: string, method = 'GET'): Promise<string | undefined> {
    if (!this.held || !credentialGoesTo(requestUrl, method, this.held.origin)) return undefined;
    const held = await this.fresh(this.held.origin);
    return held && `Bearer ${held.credential}`;
  }

  /** The held credential for `origin`, asked again at the server when its refresh time passed. */
  private async fresh(origin: string): Promise<Held | undefined> {
    const held = this.held;
    if (!held || held.origin !== origin) return undefined;
    if (Date.now() >= held.session.expiresAt) return (this.held = undefined);
    if (held.session.refreshAt === undefined || Date.now() < held.session.refreshAt) return held;
    try {
      const session = await this.call(origin, '/auth/app/me', { headers: { authorization: `Bearer ${held.credential}` } });
      const renewed = { origin, credential: session.credential ?? held.credential, session };
      if (this.held === held) this.held = renewed;
      return renewed;
    } catch (err) {
      // The server said the sign-in is over (revoked at the provider, expired): signed out here too.
      if (err instanceof TechnicianSignInError && err.code === 'SIGN_IN_ERR_REFUSED' && this.held === held) this.held = undefined;
      return this.held;
    }
  }

  private async call(origin: string, path: string, init: RequestInit): Promise<AppSession> {
    let res: Response;
    try {
      res = await fetch(new URL(path, origin), {
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
        cache: 'no-store',
        redirect: 'error',
      });
    } catch (err) {
      throw new TechnicianSignInError('SIGN_IN_ERR_SERVER', (err as Error).message);
    }
    if (res.status === 404) throw new TechnicianSignInError('SIGN_IN_ERR_OFF', 'the server offers no technician sign-in');
    const body = (await res.json().catch(() => undefined)) as unknown;
    if (res.status === 400 || res.status === 401)
      throw new TechnicianSignInError('SIGN_IN_ERR_REFUSED', z.looseObject({ error: z.string() }).safeParse(body).data?.error ?? 'refused');
    const parsed = appSessionSchema.safeParse(body);
    if (!res.ok || !parsed.success) throw new TechnicianSignInError('SIGN_IN_ERR_SERVER', `unexpected answer (${res.status})`);
    return parsed.data;
  }
}
