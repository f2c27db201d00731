import { SignalingErrorCode } from '../../protocol/error-codes';
import { BAD_STATE } from '../../protocol/error-messages';
import { auditSession } from '../audit/broker-audit';
import type { ClientConnection } from '../client-connection';
import { generateResumeToken, hashResumeToken } from '../resume-tokens';
import { generatePin, generateRequestId, generateSessionCode } from '../session-codes';
import type { SessionRecord } from '../session-store';
import type { BrokerContext } from './broker-deps';
import { inviteUrl, tokenMessage } from './session-messages';

/** `host.open`: a fresh code and PIN (within the address's open budget), and the host's first resume token. */
export async function openSession(ctx: BrokerContext, conn: ClientConnection): Promise<void> {
  if (conn.role !== 'none') return ctx.reject(conn, SignalingErrorCode.BadState, BAD_STATE.AlreadyInSession);
  const wait = await ctx.limits.takeOpen(conn.address);
  if (wait > 0) return ctx.reject(conn, SignalingErrorCode.OpenBackoff, undefined, wait);
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = generateResumeToken();
    const record: SessionRecord = {
      code: generateSessionCode(conn.codeEnding),
      pin: generatePin(),
      hostConnectionId: conn.id,
      hostTokenHash: hashResumeToken(token),
      expiresAt: Date.now() + ctx.config.sessionTtlMs,
      wrongPins: 0,
      locked: false,
      auditId: generateRequestId(),
      openedAt: Date.now(),
    };
    if (!(await ctx.store.create(record))) continue;
    conn.role = 'host';
    conn.code = record.code;
    ctx.metrics.sessions.inc();
    auditSession(ctx.audit, record, { type: 'session.created', address: conn.address });
    const { code, pin, expiresAt } = record;
    conn.send({ type: 'host.opened', code, pin, inviteUrl: inviteUrl(ctx.inviteBase(), record), expiresAt });
    conn.send(tokenMessage(code, token, ctx.config.resumeGraceMs));
    return;
  }
  ctx.reject(conn, SignalingErrorCode.Internal);
}
