/**
 * The host's "Only verified technicians (from: example.com)" policy, in one place for both the host page (which
 * declines such a join before it is ever shown as a prompt) and main (which refuses control to an unverified
 * viewer by itself, whatever the page says). A server may let anonymous joins through; this host does not.
 */
import type { VerifiedIdentity } from './signaling-messages';

export interface VerifiedPolicy {
  onlyVerified: boolean;
  /** Comma- or space-separated email domains; empty: any verified technician. */
  verifiedDomains: string;
}

export const NO_VERIFIED_POLICY: VerifiedPolicy = { onlyVerified: false, verifiedDomains: '' };

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `example.com, Contoso.org` → `['example.com', 'contoso.org']`; undefined when one of them is not a domain. */
export function parseDomains(list: string): string[] | undefined {
  const domains = list
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  return domains.every((d) => DOMAIN.test(d)) ? domains : undefined;
}

/**
 * Why this join (or control request) is refused under the policy, as the host reads it; undefined when allowed.
 * An email's domain must equal a listed domain exactly: `example.com.evil.net` and `notexample.com` do not match.
 */
export function policyRefusal(policy: VerifiedPolicy, name: string, identity?: VerifiedIdentity): string | undefined {
  if (!policy.onlyVerified) return undefined;
  if (!identity)
    return `A request from “${name}” was declined automatically: they are not signed in, and you accept only verified technicians.`;
  // A list that does not parse refuses everyone: a typo must not open the door to any domain.
  const domains = parseDomains(policy.verifiedDomains) ?? [''];
  const domain = identity.email.toLowerCase().split('@').at(-1) ?? '';
  if (domains.length && !domains.includes(domain))
    return `A request from ${identity.name} (${identity.email}) was declined automatically: you accept only technicians from ${domains.join(', ')}.`;
  return undefined;
}
