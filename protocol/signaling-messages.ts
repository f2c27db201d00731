/**
 * Signaling wire format (JSON text frames over WebSocket at `/ws`).
 * One source of truth: the server validates with these schemas, clients build
 * messages from the inferred types. See protocol/README.md for the flows.
 */
import * as z from 'zod';
import { clientAuditEventSchema } from './audit-reports';
import { SignalingErrorCode } from './error-codes';
import {
  MAX_DISPLAY_NAME_CHARS,
  MAX_HELP_DESCRIPTION_CHARS,
  MAX_SDP_CHARS,
  PROTOCOL_VERSION,
  SESSION_CODE_DIGITS,
  SESSION_PIN_DIGITS,
} from './limits';

const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);
export const sessionCodeSchema = digits(SESSION_CODE_DIGITS);
export const sessionPinSchema = digits(SESSION_PIN_DIGITS);
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** 32 random bytes, base64url: what a side shows the server to re-attach to its session. */
export const resumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a resume token');
export const sessionRoleSchema = z.enum(['host', 'viewer']);

/**
 * Characters a display name may not hold: controls, format characters (zero-width spaces and joiners,
 * direction marks and overrides), line/paragraph separators, private-use and unassigned code points, and
 * the blank "filler" letters that render as nothing. A name that looks like "Contoso IT Helpdesk" must be
 * exactly those visible characters.
 */
const INVISIBLE_IN_NAME = /[\u034f\u17b4\u17b5]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\u115f\u1160\u2800\u3164\uffa0]/u;

/** Display names are shown to the other person (as what they say they are): visible characters only, trimmed, bounded. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_DISPLAY_NAME_CHARS)
  .refine((s) => !INVISIBLE_IN_NAME.test(s), 'control, invisible and direction characters are not allowed');

/**
 * What a typed (unverified) name may not look like: a verified identity. Check marks, the word "verified", and
 * anything shaped like an email address are what the host's prompt uses for a signed-in technician, so a name
 * typed by whoever holds a code cannot borrow them.
 */
const LOOKS_VERIFIED = /[\u2713\u2714\u2611\u2705\u{1F5F8}]|verified|[^\s@]+@[^\s@]+\.[^\s@]+/iu;

/** A name the viewer typed: a display name that does not imitate a verified identity. */
export const typedNameSchema = displayNameSchema.refine(
  (s) => !LOOKS_VERIFIED.test(s.normalize('NFKC')),
  'a typed name may not contain check marks, the word "verified" or an email address (those mark signed-in technicians)',
);

/** The signals simple-peer emits: SDP, trickled ICE candidates and its renegotiation hints. */
export const peerSignalSchema = z.union([
  z.strictObject({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(MAX_SDP_CHARS) }),
  z.strictObject({
    type: z.literal('candidate'),
    candidate: z.strictObject({
      candidate: z.string().max(1024),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
      sdpMid: z.string().max(64).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional(),
    }),
  }),
  z.strictObject({ renegotiate: z.literal(true) }),
  z.strictObject({
    transceiverRequest: z.strictObject({ kind: z.enum(['audio', 'video']), init: z.looseObject({}).optional() }),
  }),
]);
export type PeerSignal = z.infer<typeof peerSignalSchema>;

export const iceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/**
 * A technician's identity as the signaling server verified it through OpenID Connect sign-in. Only the server
 * attaches it (never taken from a client frame); `issuer` is the identity provider's host name
 * ("signed in with <issuer>").
 */
export const verifiedIdentitySchema = z.strictObject({
  name: z.string().max(128),
  email: z.string().max(254),
  org: z.string().max(128).optional(),
  issuer: z.string().max(253),
});
export type VerifiedIdentity = z.infer<typeof verifiedIdentitySchema>;

/** A help request's description: shown to technicians as text; line breaks allowed, nothing else invisible. */
export const helpDescriptionSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_HELP_DESCRIPTION_CHARS)
  .refine((s) => !INVISIBLE_IN_NAME.test(s.replace(/\n/g, ' ')), 'control, invisible and direction characters are not allowed');
/** A team of the support queue, as the server's `--teams` names it. */
export const teamSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,31}$/, 'not a team name');
/** What the host reports about itself ("PeerDesk desktop", "Linux"): short visible text. */
const hostFactSchema = displayNameSchema;

/** One waiting help request as a technician's console sees it (never the session code or the person's address). */
export const queueEntrySchema = z.strictObject({
  requestId: requestIdSchema,
  name: z.string(),
  description: z.string(),
  team: z.string().optional(),
  app: z.string().optional(),
  os: z.string().optional(),
  waitingSince: z.number(),
  expiresAt: z.number(),
  /** A session a technician handed over (`help.handover`): who handed it, and whether it waits for this technician only. */
  handover: z.strictObject({ from: z.string(), toYou: z.boolean() }).optional(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;
/** Why a request left the queue. */
export const helpEndReasonSchema = z.enum(['picked', 'cancelled', 'expired', 'declined', 'host-left', 'unavailable']);
export type HelpEndReason = z.infer<typeof helpEndReasonSchema>;
/** Where a technician hands a session: to a named colleague (their sign-in email) or back to a team's (or the general) queue. */
export const handoverTargetSchema = z.union([
  z.strictObject({ technician: z.email().max(254) }),
  z.strictObject({ team: teamSchema.optional() }),
]);
export type HandoverTarget = z.infer<typeof handoverTargetSchema>;

// ---- client → server ----
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('host.open'), v: z.literal(PROTOCOL_VERSION) }),
  z.strictObject({
    type: z.literal('viewer.join'),
    v: z.literal(PROTOCOL_VERSION),
    code: sessionCodeSchema,
    pin: sessionPinSchema,
    /** What the viewer typed; ignored when the server verified the technician through sign-in. */
    name: typedNameSchema,
  }),
  /** `reason: 'capture-failed'` with `allow: false`: not a refusal — the host's computer could not start sharing. */
  z.strictObject({
    type: z.literal('host.decide'),
    requestId: requestIdSchema,
    allow: z.boolean(),
    reason: z.literal('capture-failed').optional(),
    /** Denying a technician who picked this host's help request: true puts the request back in the queue. */
    requeue: z.boolean().optional(),
  }),
  /** Host (after host.open): what the support queue offers here (is it on, which teams). */
  z.strictObject({ type: z.literal('help.options') }),
  /** Host (after host.open): ask any signed-in technician for help; tied to this host's open session. */
  z.strictObject({
    type: z.literal('help.request'),
    name: displayNameSchema,
    description: helpDescriptionSchema,
    team: teamSchema.optional(),
    app: hostFactSchema.optional(),
    os: hostFactSchema.optional(),
  }),
  z.strictObject({ type: z.literal('help.cancel') }),
  /**
   * Host, after resuming its session (`session.resume` with its token) from a reloaded page: the request it left
   * waiting is its own again (← `help.queued` with its place). Only the token's holder gets here, so only it can.
   */
  z.strictObject({ type: z.literal('help.reclaim') }),
  /**
   * The admitted, signed-in viewer hands the session on: its own view ends now, and the request waits for the
   * colleague (or the team) to pick it, after which the person is asked again, naming the new technician.
   */
  z.strictObject({ type: z.literal('help.handover'), to: handoverTargetSchema, note: helpDescriptionSchema.optional() }),
  /** Signed-in technician: stream the queue (optionally only these teams) to this connection. */
  z.strictObject({ type: z.literal('queue.watch'), teams: z.array(teamSchema).max(32).optional() }),
  /** Signed-in technician, on a fresh connection: take this request; the connection becomes its session's viewer. */
  z.strictObject({ type: z.literal('queue.pick'), requestId: requestIdSchema }),
  z.strictObject({ type: z.literal('signal'), data: peerSignalSchema }),
  /**
   * Re-attach to a session after the signaling connection dropped (server restart, network blip, page reload),
   * with the token of the last `resume.token`. `fresh`: this side has no live peer connection any more (a reloaded
   * viewer page), so the host must set up a new one; viewing resumes without a new Allow, control does not.
   */
  z.strictObject({
    type: z.literal('session.resume'),
    v: z.literal(PROTOCOL_VERSION),
    code: sessionCodeSchema,
    token: resumeTokenSchema,
    fresh: z.boolean(),
  }),
  /** The host may say why: its capture failed after the viewer was admitted (a technical end, not a refusal). */
  z.strictObject({ type: z.literal('leave'), reason: z.literal('capture-failed').optional() }),
  /** A side of a session tells the server's audit trail what only the peers see (control, files, …); see audit-events.ts. */
  z.strictObject({ type: z.literal('audit.report'), event: clientAuditEventSchema }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export const clientMessageTypes = clientMessageSchema.options.map((o) => o.shape.type.value);

// ---- server → client ----
export const endReasonSchema = z.enum([
  'host-left',
  'viewer-left',
  'host-disconnected',
  'viewer-disconnected',
  'expired',
  'denied',
  'server-shutdown',
  /** Too many wrong PINs were tried on the code: it is locked and the session is over. */
  'locked',
  /** The technician handed the session to a colleague or a team (`help.handover`); the person is asked again. */
  'handed-over',
  /** The host's computer could not start sharing (a technical failure, not a refusal). */
  'capture-failed',
]);
export type EndReason = z.infer<typeof endReasonSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), v: z.number().int() }),
  z.strictObject({
    type: z.literal('host.opened'),
    code: sessionCodeSchema,
    pin: sessionPinSchema,
    inviteUrl: z.string(),
    expiresAt: z.number(),
  }),
  /** A fresh PIN after the previous one was used (PINs are one-time). */
  z.strictObject({ type: z.literal('session.pin'), pin: sessionPinSchema, inviteUrl: z.string(), expiresAt: z.number() }),
  /** `iceServers` are the host's own (its TURN credentials): it may prepare its side of the connection while it decides. */
  /** `identity`: set only when the technician signed in; `name` is then the verified name, otherwise what they typed. */
  z.strictObject({
    type: z.literal('join.request'),
    requestId: requestIdSchema,
    name: z.string(),
    identity: verifiedIdentitySchema.optional(),
    /** Set when the technician picked this host's help request: what the person wrote. */
    description: z.string().optional(),
    /** Set when the request was handed over: the technician who handed it (verified). */
    handedOverBy: verifiedIdentitySchema.optional(),
    iceServers: z.array(iceServerSchema),
  }),
  z.strictObject({ type: z.literal('join.pending') }),
  z.strictObject({ type: z.literal('join.accepted'), iceServers: z.array(iceServerSchema) }),
  z.strictObject({ type: z.literal('join.denied'), reason: z.literal('capture-failed').optional() }),
  z.strictObject({
    type: z.literal('peer.admitted'),
    requestId: requestIdSchema,
    name: z.string(),
    identity: verifiedIdentitySchema.optional(),
    iceServers: z.array(iceServerSchema),
  }),
  z.strictObject({ type: z.literal('signal'), data: peerSignalSchema }),
  /**
   * Single-use: each resume answers with a new one. Given to the host when its session opens and to the viewer
   * when it is admitted; bound to this session and role. `graceMs`: how long the session waits for a side that dropped.
   */
  z.strictObject({ type: z.literal('resume.token'), code: sessionCodeSchema, token: resumeTokenSchema, graceMs: z.number().int() }),
  /** Re-attached. `peerPresent`: the other side is connected to the server too (signals flow again). */
  z.strictObject({
    type: z.literal('session.resumed'),
    role: sessionRoleSchema,
    peerPresent: z.boolean(),
    /** The other side's display name (what they say they are), for a reloaded viewer page or a host's reminder. */
    peerName: z.string().optional(),
    peerIdentity: verifiedIdentitySchema.optional(),
    iceServers: z.array(iceServerSchema),
  }),
  /** The other side lost its signaling connection; the session waits `graceMs` for it. The media path may still be up. */
  z.strictObject({ type: z.literal('peer.away'), graceMs: z.number().int() }),
  /** The other side re-attached. `renew`: it has no peer connection any more, so the host starts a new one. */
  z.strictObject({ type: z.literal('peer.back'), renew: z.boolean(), iceServers: z.array(iceServerSchema) }),
  /** To the host: someone tried a wrong PIN on this session's code (the viewer learns nothing of it). */
  z.strictObject({ type: z.literal('join.failed'), attempts: z.number().int().min(1), maxAttempts: z.number().int().min(1) }),
  /** The other side of the pairing is gone; for the host the session stays open for a new viewer. */
  z.strictObject({ type: z.literal('peer.left'), reason: endReasonSchema }),
  /** The session is over (host left, code expired, server shutting down). */
  z.strictObject({ type: z.literal('session.ended'), reason: endReasonSchema }),
  /** `enabled`: the server has technician sign-in, so the queue is on. */
  z.strictObject({ type: z.literal('help.options'), enabled: z.boolean(), teams: z.array(z.string()), maxDescription: z.number().int() }),
  /** To the host: its request waits at `position` (1 = next) of its team's queue. */
  z.strictObject({
    type: z.literal('help.queued'),
    requestId: requestIdSchema,
    position: z.number().int().min(1),
    waitingSince: z.number(),
    expiresAt: z.number(),
    /** The session was handed over: by whom, and to whom (a colleague's email, or a team's queue). */
    handover: z.strictObject({ from: verifiedIdentitySchema, to: handoverTargetSchema }).optional(),
  }),
  z.strictObject({ type: z.literal('help.position'), requestId: requestIdSchema, position: z.number().int().min(1) }),
  /** To the host: a technician took the request; their join.request (with the verified identity) follows. */
  z.strictObject({ type: z.literal('help.taken'), requestId: requestIdSchema, identity: verifiedIdentitySchema }),
  /** To the host: the request is no longer waiting (cancelled, expired, declined …). */
  z.strictObject({ type: z.literal('help.ended'), requestId: requestIdSchema, reason: helpEndReasonSchema }),
  /** To a watching console: everything waiting now (its teams), oldest first; `teams`: every team of this server. */
  z.strictObject({ type: z.literal('queue.snapshot'), requests: z.array(queueEntrySchema), teams: z.array(z.string()) }),
  z.strictObject({ type: z.literal('queue.added'), request: queueEntrySchema }),
  z.strictObject({ type: z.literal('queue.removed'), requestId: requestIdSchema, reason: helpEndReasonSchema }),
  /** To the picking technician: the request is theirs; join.pending follows and then the host's decision. */
  z.strictObject({ type: z.literal('queue.picked'), requestId: requestIdSchema }),
  /** To the picking technician: someone else picked it first, or it was cancelled or expired. */
  z.strictObject({ type: z.literal('queue.taken'), requestId: requestIdSchema }),
  z.strictObject({
    type: z.literal('error'),
    code: z.enum(SignalingErrorCode),
    message: z.string(),
    retryAfterMs: z.number().optional(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
