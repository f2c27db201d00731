import type { IncomingMessage } from 'node:http';
import type { SignInOutcome } from '../../protocol/audit-events';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import type { AuditSink } from '../audit/audit-sink';
import { clientAddress } from '../client-address';

/**
 * Sign-ins in the server's audit trail (no session: they happen before one, or without one): who signed in or out,
 * whose sign-in was refused and why, whose the provider ended. Through the same sink as the sessions, so the trail
 * being away never holds a sign-in up.
 */
export class SignInAudit {
  constructor(
    private readonly audit: AuditSink,
    private readonly trustedProxies: readonly string[],
  ) {}

  record(req: IncomingMessage, outcome: SignInOutcome, identity?: VerifiedIdentity, reason?: string): void {
    this.audit.record({
      reportedBy: 'server',
      event: {
        type: 'sign-in',
        outcome,
        ...(identity ? { identity } : {}),
        ...(reason ? { reason: reason.slice(0, 200) } : {}),
        address: clientAddress(req, this.trustedProxies).slice(0, 64),
      },
    });
  }
}
