import { ClientErrorCode, ClipboardErrorCode, FileErrorCode, InputErrorCode, RecordingErrorCode, SignalingErrorCode } from './error-codes';

/** Every coded reason PeerDesk reports, wherever it is raised. */
export type ErrorCode = SignalingErrorCode | InputErrorCode | ClipboardErrorCode | FileErrorCode | ClientErrorCode | RecordingErrorCode;

const S = SignalingErrorCode;
const I = InputErrorCode;
const C = ClipboardErrorCode;
const F = FileErrorCode;
const U = ClientErrorCode;
const R = RecordingErrorCode;

/**
 * The one table of what each code says to a person: the server sends these as `message`, and the pages show these
 * (looked up by code, never by matching the server's words). Adding a code without a message does not compile.
 */
export const ERROR_MESSAGES: { readonly [K in ErrorCode]: string } = {
  [S.BadJson]: 'The server could not read that message (it is not valid JSON).',
  [S.BadMessage]: 'The server refused a malformed message.',
  [S.UnknownType]: 'The server does not know that kind of message.',
  [S.TooLarge]: 'That message is too large for the server.',
  [S.RateLimited]: 'Too many messages; slow down and try again shortly.',
  [S.BadState]: 'That request does not fit this connection’s state.',
  // Wrong code, wrong PIN, locked and expired look the same: no enumeration.
  [S.JoinFailed]: 'That code or PIN is not right, or the session has ended. Check both with the person you are helping.',
  [S.JoinBackoff]: 'Too many wrong attempts.',
  [S.SessionBusy]: 'Someone else is already connected to this session.',
  [S.NotPaired]: 'Signals are relayed only between a host and the viewer it admitted.',
  [S.OpenBackoff]: 'Too many sessions were started from this network.',
  [S.ResumeFailed]: 'This session can no longer be resumed; join again with the code and a PIN.',
  [S.Unavailable]: 'The server cannot reach its session store; try again shortly.',
  [S.SignInRequired]: 'This server lets only signed-in technicians do that. Sign in as a technician, then connect again.',
  [S.QueueOff]: 'The support queue is off on this server: it needs technician sign-in (an OpenID provider, or --dev-idp on loopback).',
  [S.QueueFull]: 'All technicians are busy and the queue is full. Please try again in a few minutes.',
  [S.HelpLimit]: 'Too many help requests; try again later.',
  [S.UnknownTeam]: 'This server has no such team.',
  [S.Internal]: 'The server failed to handle that; try again.',

  [I.TooLarge]: 'A control message was too large.',
  [I.BadJson]: 'A control message was not valid JSON.',
  [I.BadMessage]: 'A control message was malformed.',
  [I.ControlChars]: 'Typed text may not carry control or invisible formatting characters (Enter and Tab travel as keys).',
  [I.RateLimited]: 'Too much input at once; some was dropped.',
  [I.NoConsent]: 'Input was dropped: control has not been granted.',
  [I.NoSurface]: 'Input was dropped: nothing is being shared.',
  [I.OutsideSurface]: 'Input was dropped: it fell outside what is shared.',
  [I.Covered]: 'A click was dropped: another window covers the shared window there.',
  [I.OwnWindow]: 'Input was dropped: it was aimed at a PeerDesk window.',
  [I.UnmappedKey]: 'A key was dropped: the host has no such key.',
  [I.InjectFailed]: 'The host could not inject that input.',
  [I.StaleMove]: 'A pointer move was skipped: a newer one had already arrived.',

  [C.Off]: 'Clipboard sharing is off for this session.',
  [C.NoSession]: 'No one is connected to share a clipboard with.',
  [C.TooLarge]: 'That clipboard text is too large to share.',
  [C.Unavailable]: 'This computer has no clipboard to share.',

  [F.Truncated]: 'Truncated: not every byte arrived; nothing was saved.',
  [F.HashMismatch]: 'Corrupted on the way (SHA-256 mismatch); nothing was saved.',

  [U.ProtocolVersion]: 'This PeerDesk server speaks another protocol version.',
  [U.NameRefused]:
    'Choose another name: a typed name may not contain check marks, the word “verified” or an email address. Sign in to show your verified name.',
  [U.BadForm]: 'Check the form: the code has 9 digits, the PIN 6.',
  [U.SessionGone]: 'The PeerDesk server no longer knows this session.',

  [R.TooLarge]: 'A recording message was too large.',
  [R.RateLimited]: 'Too many recording requests at once; some were dropped.',
  [R.BadJson]: 'A recording message was not valid JSON.',
  [R.BadMessage]: 'A recording message was malformed.',
  [R.Busy]: 'The person is already being asked, or the session is already being recorded.',
  [R.Cooldown]: 'The person declined recording a moment ago; ask again later.',
  [R.NotRecording]: 'That recording is not the one running.',
};

/** One code covers every misuse of a connection's state; the message says which (for a client's developer). */
export const BAD_STATE = {
  AlreadyInSession: 'this connection already belongs to a session',
  NoOpenSession: 'no open session',
  NotHost: 'not the host of a session',
  NoSuchJoinRequest: 'no such join request',
  NotASide: 'audit reports come only from a side of a session',
  OpenSessionFirst: 'open a session (host.open) first',
  HelpAlreadyWaiting: 'this session already has a waiting help request',
  SessionNotFree: 'the session is not free for a technician',
  NoWaitingHelp: 'no waiting help request',
  InSession: 'this connection belongs to a session',
  PickFromFreshConnection: 'pick from a fresh connection',
  ResumeFirst: 'resume the session first',
  HandedToAnother: 'This session was handed to another technician.',
  HandOverFromSession: 'hand over from inside a session',
  HandOverToSelf: 'You cannot hand a session to yourself.',
  CannotHandOverNow: 'the session cannot be handed over now (the person is away or it ended)',
} as const;

export type BadStateReason = (typeof BAD_STATE)[keyof typeof BAD_STATE];

/** What a code says; a code this build does not know still gets a sentence that names it. */
export function messageFor(code: string): string {
  return Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code as ErrorCode] : `The server refused the request (${code}).`;
}
