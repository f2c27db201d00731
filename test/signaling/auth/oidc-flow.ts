/**
 * Drives a sign-in over plain HTTP the way a browser would (redirects, cookies per origin, the dev provider's login
 * and consent forms), so protocol-level cases can be checked quickly. The Chromium test does the same in a real browser.
 */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const origin = new URL(url).origin;
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    this.jars.get(origin)!.set(name, value);
  }
}

export async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header(url) } });
  jar.take(url, res);
  return res;
}

/** From `/auth/login` through the provider's pages, up to (not including) the callback on `serverUrl`; returns its URL. */
export async function signInUpToCallback(
  jar: CookieJar,
  serverUrl: string,
  login = 'tech@example.com',
  returnPath = '/#joined',
): Promise<string> {
  return providerUpToCallback(jar, serverUrl, `${serverUrl}/auth/login?return=${encodeURIComponent(returnPath)}`, login);
}

/** From `startUrl` (a sign-in route of the server) through the provider's pages, up to the callback on `serverUrl`. */
export async function providerUpToCallback(
  jar: CookieJar,
  serverUrl: string,
  startUrl: string,
  login = 'tech@example.com',
): Promise<string> {
  let res = await request(jar, startUrl);
  let url = startUrl;
  for (let hops = 0; hops < 20; hops++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      if (url.startsWith(`${serverUrl}/auth/callback`)) return url;
      res = await request(jar, url);
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !prompt)
      throw new Error(`unexpected provider page ${res.status} at ${url}: ${html.slice(0, 300)}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    res = await request(jar, url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  throw new Error('too many redirects');
}

/** The whole sign-in; returns the callback's answer (303 back to the app on success). */
export async function signIn(jar: CookieJar, serverUrl: string, login?: string, returnPath?: string): Promise<Response> {
  return request(jar, await signInUpToCallback(jar, serverUrl, login, returnPath));
}

export async function me(jar: CookieJar, serverUrl: string): Promise<Record<string, unknown>> {
  return (await request(jar, `${serverUrl}/auth/me`)).json() as Promise<Record<string, unknown>>;
}
