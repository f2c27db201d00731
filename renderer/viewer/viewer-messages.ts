import { ClientErrorCode, SignalingErrorCode } from '../../protocol/error-codes';
import { ERROR_MESSAGES, messageFor } from '../../protocol/error-messages';
import type { EndReason, ServerMessageOf } from '../../protocol/signaling-messages';
import { count } from '../format';

const retryIn = (error: ServerMessageOf<'error'>) => count(Math.ceil((error.retryAfterMs ?? 1000) / 1000), 'second');

/** Human words for every way a viewer's attempt can end: the code's message from the one table. */
export function joinErrorText(error: ServerMessageOf<'error'>): string {
  switch (error.code) {
    case SignalingErrorCode.JoinBackoff:
    case SignalingErrorCode.OpenBackoff:
      return `${ERROR_MESSAGES[error.code]} Try again in ${retryIn(error)}.`;
    case SignalingErrorCode.BadMessage:
      // A typed name may not look like a verified one (check marks, "verified", an email address); the server's
      // message for a schema refusal names the field.
      return ERROR_MESSAGES[/^viewer\.join: name /.test(error.message) ? ClientErrorCode.NameRefused : ClientErrorCode.BadForm];
    default:
      return messageFor(error.code);
  }
}

/** What the end card says for each way a session can end: a heading of a few words, then what happened. */
export const END_CARD: Record<EndReason, { title: string; text: string }> = {
  'host-left': { title: 'Session ended', text: 'The person you were helping ended the session.' },
  'host-disconnected': { title: 'Disconnected', text: 'The person you were helping disconnected.' },
  'viewer-left': { title: 'Session ended', text: 'You left the session.' },
  'viewer-disconnected': { title: 'Disconnected', text: 'You were disconnected.' },
  expired: { title: 'Session expired', text: 'The session expired.' },
  denied: { title: 'Request declined', text: 'The person declined your request.' },
  'server-shutdown': { title: 'Disconnected', text: 'The PeerDesk server shut down.' },
  'capture-failed': {
    title: 'Sharing could not start',
    text: 'Their computer could not start sharing the screen — a technical problem, not a refusal. Ask them to try again.',
  },
  'handed-over': {
    title: 'Session handed over',
    text: 'You handed the session over. Your view and control ended; the person is asked again before your colleague sees their screen.',
  },
  locked: { title: 'Code locked', text: 'The session code was locked after too many wrong PINs. Ask the person for a new code.' },
};
