import type { EndReason, ServerMessageOf } from '../../protocol/signaling-messages';

/** Human words for every way a viewer's attempt can end. */
export function joinErrorText(error: ServerMessageOf<'error'>): string {
  switch (error.code) {
    case 'SIG_ERR_JOIN_FAILED':
      return 'That code or PIN is not right, or the session has ended. Check both with the person you are helping.';
    case 'SIG_ERR_JOIN_BACKOFF':
      return `Too many wrong attempts. Try again in ${Math.ceil((error.retryAfterMs ?? 1000) / 1000)} seconds.`;
    case 'SIG_ERR_OPEN_BACKOFF':
      return `Too many sessions were started from this network. Try again in ${Math.ceil((error.retryAfterMs ?? 1000) / 1000)} seconds.`;
    case 'SIG_ERR_SESSION_BUSY':
      return 'Someone else is already connected to this session.';
    case 'SIG_ERR_BAD_MESSAGE':
      return 'Check the form: the code has 9 digits, the PIN 6.';
    default:
      return `The server refused the request (${error.code}).`;
  }
}

export const END_TEXT: Record<EndReason, string> = {
  'host-left': 'The person you were helping ended the session.',
  'host-disconnected': 'The person you were helping disconnected.',
  'viewer-left': 'You left the session.',
  'viewer-disconnected': 'You were disconnected.',
  expired: 'The session expired.',
  denied: 'The person declined your request.',
  'server-shutdown': 'The PeerDesk server shut down.',
  'capture-failed': 'Their computer could not start sharing the screen — a technical problem, not a refusal. Ask them to try again.',
  locked: 'The session code was locked after too many wrong PINs. Ask the person for a new code.',
};

/** The end card's heading for each: what happened, in a few words (the sentence under it says what to do). */
export const END_TITLE: Record<EndReason, string> = {
  'host-left': 'Session ended',
  'host-disconnected': 'Disconnected',
  'viewer-left': 'Session ended',
  'viewer-disconnected': 'Disconnected',
  expired: 'Session expired',
  denied: 'Request declined',
  'server-shutdown': 'Disconnected',
  'capture-failed': 'Sharing could not start',
  locked: 'Code locked',
};
