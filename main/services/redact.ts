/** Keys whose values never reach a log file. */
const SECRET_KEY = /^(pin|password|passphrase|secret|credential|credentials|token|authorization|cookie|turnsecret|turn_secret)$/i;
/** Secrets inside text: an invite link's PIN, a TURN credential in a URL. */
const SECRET_IN_TEXT = /\b(pin|credential|password|token)=([^&\s"]+)/gi;

/** A copy of a log argument with secrets replaced, so log files can be shared with support. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_IN_TEXT, '$1=[redacted]');
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}
