import type { EndReason, ServerMessageOf } from '../../protocol/signaling-messages';
import { count } from '../format';

const retryIn = (error: ServerMessageOf<'error'>) => count(Math.ceil((error.retryAfterMs ?? 1000) / 1000), 'second');

/** Human words for every way a viewer's attempt can end. */
export function joinErrorText(error: ServerMessageOf<'error'>): string {
  switch (error.code) {
    case 'SIG_ERR_JOIN_FAILED':
      return 'That code or PIN is not right, or the session has ended. Check both with the person you are helping.';
    case 'SIG_ERR_JOIN_BACKOFF':
      return `Too many wrong attempts. Try again in ${retryIn(error)}.`;
    case 'SIG_ERR_OPEN_BACKOFF':
      return `Too many sessions were started from this network. Try again in ${retryIn(error)}.`;
    case 'SIG_ERR_SESSION_BUSY':
      return 'Someone else is already connected to this session.';
    case 'SIG_ERR_SIGN_IN_REQUIRED':
      return 'This server lets only signed-in technicians connect. Sign in as a technician, then connect again.';
    case 'SIG_ERR_BAD_MESSAGE':
      // A typed name may not look like a verified one (check marks, "verified", an email address).
      if (/^viewer\.join: name /.test(error.message))
        return 'Choose another name: a typed name may not contain check marks, the word “verified” or an email address. Sign in to show your verified name.';
      return 'Check the form: the code has 9 digits, the PIN 6.';
    default:
      return `The server refused the request (${error.code}).`;
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
