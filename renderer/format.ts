/** `123456789` → `123 456 789`, the way the host reads it aloud. */
export const groupCode = (code: string) => code.replace(/(\d{3})(?=\d)/g, '$1 ');

/** Accepts a code typed with spaces or dashes. */
export const normalizeCode = (input: string) => input.replace(/[\s-]/g, '');

/**
 * The same address without the PIN: once the form holds it, it need not stay in the address bar, the history or a
 * link copied from there into a ticket. (It never reached a server: it travels in the fragment.)
 */
export function withoutPin(href: string): string {
  const url = new URL(href);
  const m = /^#join\?(.*)$/.exec(url.hash);
  if (!m) return href;
  const params = new URLSearchParams(m[1]);
  params.delete('pin');
  url.hash = `join?${params}`;
  return url.href;
}

export function parseInvite(hash: string): { code?: string; pin?: string } {
  const m = /^#join\?(.*)$/.exec(hash);
  if (!m) return {};
  const params = new URLSearchParams(m[1]);
  return { code: params.get('code') ?? undefined, pin: params.get('pin') ?? undefined };
}

const englishPlural = new Intl.PluralRules('en');
/** "1 second", "2 seconds", "0 files": a count with its noun in the right number (`other` when not noun + "s"). */
export const count = (n: number, one: string, other = `${one}s`) => `${n} ${englishPlural.select(n) === 'one' ? one : other}`;

export const formatBitrate = (bps: number) => (bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mbit/s` : `${Math.round(bps / 1e3)} kbit/s`);
