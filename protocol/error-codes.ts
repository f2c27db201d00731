/**
 * Every stable error code PeerDesk reports, in one table: the signaling server's (`SIG_ERR_*`, sent in
 * `{ type: 'error' }` frames) and the host's input boundary's (`INPUT_ERR_*`, returned by InputService and
 * counted per reason).
 */
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
  OpenBackoff: 'SIG_ERR_OPEN_BACKOFF',
  /** A resume token that is unknown, used, for another role, or whose session is gone: join again with a PIN. */
  ResumeFailed: 'SIG_ERR_RESUME_FAILED',
  /** The server lost its shared store (Redis) and cannot serve sessions until it is back. */
  Unavailable: 'SIG_ERR_UNAVAILABLE',
  /** The server requires technician sign-in (`--require-sign-in`) and this connection is not signed in. */
  SignInRequired: 'SIG_ERR_SIGN_IN_REQUIRED',
  /** The support queue is off: the server has no technician sign-in configured. */
  QueueOff: 'SIG_ERR_QUEUE_OFF',
  /** The queue holds as many requests as it may; try again later. */
  QueueFull: 'SIG_ERR_QUEUE_FULL',
  /** Too many help requests from this address or connection; `retryAfterMs` says when the next is taken. */
  HelpLimit: 'SIG_ERR_HELP_LIMIT',
  /** A team this server does not have. */
  UnknownTeam: 'SIG_ERR_UNKNOWN_TEAM',
  Internal: 'SIG_ERR_INTERNAL',
} as const;

export type SignalingErrorCode = (typeof SignalingErrorCode)[keyof typeof SignalingErrorCode];

/** Why InputService dropped a control message before (or instead of) injecting it. */
export const InputErrorCode = {
  TooLarge: 'INPUT_ERR_TOO_LARGE',
  BadJson: 'INPUT_ERR_BAD_JSON',
  BadMessage: 'INPUT_ERR_BAD_MESSAGE',
  /** `text` carrying C0/C1 controls or bidi/invisible format characters (Enter and Tab travel as keys). */
  ControlChars: 'INPUT_ERR_CONTROL_CHARS',
  RateLimited: 'INPUT_ERR_RATE_LIMITED',
  NoConsent: 'INPUT_ERR_NO_CONSENT',
  NoSurface: 'INPUT_ERR_NO_SURFACE',
  OutsideSurface: 'INPUT_ERR_OUTSIDE_SURFACE',
  /** Another window still lies on top of the shared window at the pointer after raising it. */
  Covered: 'INPUT_ERR_COVERED',
  OwnWindow: 'INPUT_ERR_OWN_WINDOW',
  UnmappedKey: 'INPUT_ERR_UNMAPPED_KEY',
  InjectFailed: 'INPUT_ERR_INJECT_FAILED',
  /** A pointer move older than a pointer event already handled (moves travel unordered), or replaced by a newer one in the queue. */
  StaleMove: 'INPUT_ERR_STALE_MOVE',
} as const;

export type InputErrorCode = (typeof InputErrorCode)[keyof typeof InputErrorCode];

/** Why the host's ClipboardService refused to read or write the system clipboard for the page. */
export const ClipboardErrorCode = {
  /** The host has not turned clipboard sharing on for this session (it starts off). */
  Off: 'CLIPBOARD_ERR_OFF',
  /** No viewer is connected: there is no session to share with. */
  NoSession: 'CLIPBOARD_ERR_NO_SESSION',
  TooLarge: 'CLIPBOARD_ERR_TOO_LARGE',
  /** This host has no system clipboard to offer. */
  Unavailable: 'CLIPBOARD_ERR_UNAVAILABLE',
} as const;

export type ClipboardErrorCode = (typeof ClipboardErrorCode)[keyof typeof ClipboardErrorCode];

/** Why a received file was not saved (the receiver's verdict, shown on both sides in `file.result`). */
export const FileErrorCode = {
  /** Fewer bytes arrived than the offer announced. */
  Truncated: 'FILE_ERR_TRUNCATED',
  /** The bytes' SHA-256 is not the one the sender computed. */
  HashMismatch: 'FILE_ERR_HASH_MISMATCH',
} as const;

export type FileErrorCode = (typeof FileErrorCode)[keyof typeof FileErrorCode];

/** What a client itself concludes and tells its user (the server sent no code, or one the form must explain). */
export const ClientErrorCode = {
  /** The server's `hello` names another protocol version. */
  ProtocolVersion: 'CLIENT_ERR_PROTOCOL_VERSION',
  /** A typed name the server refused because it looks like a verified one. */
  NameRefused: 'CLIENT_ERR_NAME_REFUSED',
  /** A join the server refused as malformed: the code or PIN has the wrong shape. */
  BadForm: 'CLIENT_ERR_BAD_FORM',
  /** The server no longer knows the session this client tried to resume. */
  SessionGone: 'CLIENT_ERR_SESSION_GONE',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Why the person's page refused a recording message from the technician (recording-messages.ts), counted by code. */
export const RecordingErrorCode = {
  /** Not text, or over MAX_RECORDING_MESSAGE_BYTES. */
  TooLarge: 'REC_ERR_TOO_LARGE',
  /** Over RECORDING_MESSAGES_PER_SECOND (burst RECORDING_BURST). */
  RateLimited: 'REC_ERR_RATE_LIMITED',
  BadJson: 'REC_ERR_BAD_JSON',
  /** Parsed, but not a recording message (unknown type or field, a malformed id). */
  BadMessage: 'REC_ERR_BAD_MESSAGE',
  /** A prompt or a recording is already on. */
  Busy: 'REC_ERR_BUSY',
  /** Asked again too soon after the person's Deny: the person was not asked. */
  Cooldown: 'REC_ERR_COOLDOWN',
  /** A stop for a recording that is not the one on. */
  NotRecording: 'REC_ERR_NOT_RECORDING',
} as const;

export type RecordingErrorCode = (typeof RecordingErrorCode)[keyof typeof RecordingErrorCode];
