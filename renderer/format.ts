/** `123456789` → `123 456 789`, the way the host reads it aloud. */
export const groupCode = (code: string) => code.replace(/(\d{3})(?=\d)/g, '$1 ');

/** Accepts a code typed with spaces or dashes. */
export const normalizeCode = (input: string) => input.replace(/[\s-]/g, '');

export function parseInvite(hash: string): { code?: string; pin?: string } {
  const m = /^#join\?(.*)$/.exec(hash);
  if (!m) return {};
  const params = new URLSearchParams(m[1]);
  return { code: params.get('code') ?? undefined, pin: params.get('pin') ?? undefined };
}

export const formatBitrate = (bps: number) => (bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mbit/s` : `${Math.round(bps / 1e3)} kbit/s`);
