/** Stable error codes the signaling server sends in `{ type: 'error' }` frames. */
export const SignalingErrorCode = {
  BadJson: 'SIG_ERR_BAD_JSON',
  BadMessage: 'SIG_ERR_BAD_MESSAGE',
  UnknownType: 'SIG_ERR_UNKNOWN_TYPE',
  TooLarge: 'SIG_ERR_TOO_LARGE',
  RateLimited: 'SIG_ERR_RATE_LIMITED',
  BadState: 'SIG_ERR_BAD_STATE',
  JoinFailed: 'SIG_ERR_JOIN_FAILED',
  JoinBackoff: 'SIG_ERR_JOIN_BACKOFF',
  SessionBusy: 'SIG_ERR_SESSION_BUSY',
  NotPaired: 'SIG_ERR_NOT_PAIRED',
  Internal: 'SIG_ERR_INTERNAL',
} as const;

export type SignalingErrorCode = (typeof SignalingErrorCode)[keyof typeof SignalingErrorCode];
