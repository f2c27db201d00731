import type { ServerResponse } from 'node:http';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain page for the ends of the sign-in flow that cannot go back to the app (refused, failed, expired). */
export function sendPage(res: ServerResponse, status: number, title: string, text: string, setCookie: string[] = []): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} — PeerDesk</title>
<link rel="stylesheet" href="/styles.css"></head><body>
<header class="brand"><span class="logo" aria-hidden="true">◧</span> PeerDesk</header>
<main><section class="card" id="auth-result"><h2>${escape(title)}</h2><p>${escape(text)}</p>
<p><a href="/?role=viewer">Back to PeerDesk</a></p></section></main></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(setCookie.length ? { 'Set-Cookie': setCookie } : {}),
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, setCookie: string[] = []): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    ...(setCookie.length ? { 'Set-Cookie': setCookie } : {}),
  });
  res.end(JSON.stringify(body));
}

export function redirect(res: ServerResponse, location: string, setCookie: string[]): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Set-Cookie': setCookie });
  res.end();
}

/** A same-origin path to come back to after sign-in (never another origin: no open redirect). */
export function safeReturnPath(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  const url = new URL(value, 'http://peerdesk.invalid');
  return url.origin === 'http://peerdesk.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/';
}
