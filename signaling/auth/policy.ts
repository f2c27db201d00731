/**
 * Who may sign in as a technician and who is an admin, from config lists such as
 * `@example.com` (an email domain), `ana@example.com` (one email) and `group:helpdesk` (a value of the groups claim).
 */
export interface PolicyRules {
  domains: Set<string>;
  emails: Set<string>;
  groups: Set<string>;
}

export interface PolicySubject {
  email?: string;
  /** False when the provider says the address is not verified: such an email matches no domain or email rule. */
  emailVerified?: boolean;
  groups: string[];
}

export function parseRules(list: string[]): PolicyRules {
  const rules: PolicyRules = { domains: new Set(), emails: new Set(), groups: new Set() };
  for (const raw of list.map((s) => s.trim()).filter(Boolean)) {
    if (raw.toLowerCase().startsWith('group:')) rules.groups.add(raw.slice('group:'.length));
    else if (raw.startsWith('@')) rules.domains.add(raw.slice(1).toLowerCase());
    else if (raw.includes('@')) rules.emails.add(raw.toLowerCase());
    else throw new Error(`sign-in rule ${JSON.stringify(raw)}: expected @domain, an email address or group:<name>`);
  }
  return rules;
}

export const isEmpty = (r: PolicyRules) => r.domains.size + r.emails.size + r.groups.size === 0;

export function matches(rules: PolicyRules, who: PolicySubject): boolean {
  if (who.groups.some((g) => rules.groups.has(g))) return true;
  if (!who.email || who.emailVerified === false) return false;
  const email = who.email.toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return rules.emails.has(email) || rules.domains.has(domain);
}

/** The sign-in policy: an empty allowed list lets in everyone the organisation's provider signs in. */
export class SignInPolicy {
  private readonly allowed: PolicyRules;
  private readonly admins: PolicyRules;

  constructor(allowed: string[], admins: string[]) {
    this.allowed = parseRules(allowed);
    this.admins = parseRules(admins);
  }

  get open(): boolean {
    return isEmpty(this.allowed);
  }

  isAdmin(who: PolicySubject): boolean {
    return matches(this.admins, who);
  }

  /** Admins are technicians too, whether or not the allowed list names them. */
  isAllowed(who: PolicySubject): boolean {
    return this.open || matches(this.allowed, who) || this.isAdmin(who);
  }
}
