import type { IDToken } from 'openid-client';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import type { PolicySubject } from './policy';

/** What the session cookie holds about a signed-in technician (sealed; never readable by the page). */
export interface SignedInSession {
  sub: string;
  name: string;
  email: string;
  org?: string;
  /** The provider's host name ("signed in with <issuer>"). */
  issuer: string;
  admin: boolean;
  /** Refresh token, when the provider gave one. */
  rt?: string;
  /** Epoch ms the access token expires: the first check after it refreshes. */
  ax?: number;
}

// Claims are the provider's text, shown on a stranger's screen: controls, direction marks and invisible characters go.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/gu;
const clean = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(INVISIBLE, '').trim().slice(0, max) : '');

export type ClaimedTechnician = Pick<SignedInSession, 'sub' | 'name' | 'email' | 'org' | 'issuer'> & PolicySubject;

/**
 * The technician as the validated ID token describes them; undefined when it carries no email address. Groups are
 * used for the policy at sign-in only (a provider may list hundreds; they would not fit a cookie).
 */
export function technicianFromClaims(claims: IDToken, issuerHost: string, orgFallback?: string): ClaimedTechnician | undefined {
  const username = clean(claims.preferred_username, 254);
  const email = clean(claims.email, 254) || (username.includes('@') ? username : '');
  if (!email) return undefined;
  const org = clean(claims.org ?? claims.organization, 128) || orgFallback;
  const groups = [claims.groups, claims.roles].flatMap((g) => (Array.isArray(g) ? g.filter((x) => typeof x === 'string') : []));
  return {
    sub: claims.sub,
    name: clean(claims.name, 128) || username.slice(0, 128) || email.slice(0, 128),
    email,
    ...(org ? { org } : {}),
    issuer: issuerHost,
    emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
    groups,
  };
}

/** The part of a session that travels to the host with a join. */
export function verifiedIdentity(s: Pick<SignedInSession, 'name' | 'email' | 'org' | 'issuer'>): VerifiedIdentity {
  return { name: s.name, email: s.email, ...(s.org ? { org: s.org } : {}), issuer: s.issuer };
}
