import { displayName } from '../../common/display-text';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import { claimedName } from './claimed-name';
import { h } from './dom';

/** Who is asking: the name (typed, or the verified one) and, when they signed in, what the server verified. */
export interface Asker {
  name: string;
  identity?: VerifiedIdentity;
}

/**
 * A typed name dressed up as a verified one: a check mark, the word "verified" or "signed in", an email address.
 * Shown with a warning of its own, since the only real "verified" is the panel PeerDesk draws.
 */
const IMITATES_VERIFIED = /[✓✔☑✅🗸🗹]|verif|signed[\s-]*in|@[^\s@]+\.[a-z]/iu;

export function imitatesVerified(name: string): boolean {
  return IMITATES_VERIFIED.test(displayName(name));
}

/** The prompt's heading, before "wants to …": the verified name as a fact, a typed one as a claim. */
export function askerTitle({ name, identity }: Asker): Array<HTMLElement | string> {
  if (!identity) return claimedName(name);
  return [h('span', { class: 'who verified-name' }, displayName(identity.name))];
}

/**
 * The prompt's identity panel. Verified: a green panel with name, email, organisation and "Signed in with
 * <issuer>" — each field through the display rule, so no verified field can smuggle direction tricks either.
 * Not verified: an amber panel that says the name was typed, and a further warning when it imitates a verified one.
 */
export function identityPanel({ name, identity }: Asker): HTMLElement {
  if (identity) {
    return h(
      'div',
      { class: 'identity verified', id: 'asker-identity', dataset: { verified: 'true' } },
      h('p', { class: 'identity-badge' }, '✓ Verified technician'),
      h('p', { class: 'identity-name' }, displayName(identity.name)),
      h('p', { class: 'identity-email' }, displayName(identity.email)),
      identity.org ? h('p', { class: 'identity-org' }, displayName(identity.org)) : null,
      h('p', { class: 'identity-issuer' }, `Signed in with ${displayName(identity.issuer)}`),
    );
  }
  return h(
    'div',
    { class: 'identity unverified', id: 'asker-identity', dataset: { verified: 'false' } },
    h('p', { class: 'identity-badge' }, 'Not verified — this name was typed by the person asking'),
    h('p', {}, 'Anyone can type any name here. PeerDesk has not checked who they are.'),
    imitatesVerified(name)
      ? h(
          'p',
          { class: 'identity-imitation', id: 'imitation-warning' },
          'This typed name looks like a verified one. It is not: a verified technician is shown in a green panel, never in the name.',
        )
      : null,
  );
}

/** The sharing bar's short form: "✓ Verified: Tina Smith, Example IT" or "Not verified". */
export function identityTag({ identity }: Asker): HTMLElement {
  if (!identity) {
    return h(
      'span',
      { class: 'identity-tag unverified', id: 'identity-tag', title: 'The name was typed by the person asking' },
      'Not verified',
    );
  }
  const org = identity.org ? `, ${displayName(identity.org)}` : '';
  return h(
    'span',
    {
      class: 'identity-tag verified',
      id: 'identity-tag',
      title: `${displayName(identity.email)} · signed in with ${displayName(identity.issuer)}`,
    },
    `✓ Verified: ${displayName(identity.name)}${org}`,
  );
}
