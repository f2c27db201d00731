import type { EndReason, VerifiedIdentity } from '../../protocol/signaling-messages';
import { MAX_WRONG_PINS_PER_CODE } from '../../protocol/limits';
import { displayName } from '../../common/display-text';

/** What the host reads when the session ends, by the server's reason. */
export const HOST_END_MESSAGES = {
  expired: 'Your session code expired because nobody used it.',
  'server-shutdown': 'The PeerDesk server shut down.',
  'host-left': 'You ended the session.',
  locked: `Someone tried wrong PINs ${MAX_WRONG_PINS_PER_CODE} times, so this code is now locked. Start a new session and give the new code only to your technician.`,
} satisfies Partial<Record<EndReason, string>>;

export const hostEndMessage = (reason: EndReason) =>
  (HOST_END_MESSAGES as Partial<Record<EndReason, string>>)[reason] ?? 'The session ended.';

/** The log's "joined" line: a verified technician with what the server verified, a typed name as a claim. */
export const joinedLine = (name: string, identity?: VerifiedIdentity) =>
  identity
    ? `${displayName(identity.name)} joined (verified: ${displayName(identity.email)}, signed in with ${displayName(identity.issuer)})`
    : `${displayName(name)} joined (says they are “${displayName(name)}”, not verified)`;
