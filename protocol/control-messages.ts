/**
 * Remote-control messages on the WebRTC data channels, viewer → host, as JSON text.
 * Pointer moves travel on the unordered, no-retransmit "pointer" channel; everything
 * else on simple-peer's reliable ordered channel. The host validates each one again
 * in main/ (InputService) before anything reaches robotjs.
 */
import * as z from 'zod';

/** Largest control message the host accepts, in bytes. */
export const MAX_CONTROL_MESSAGE_BYTES = 2048;
export const MAX_TEXT_CHARS = 256;

const unit = z.number().finite().min(0).max(1);
/**
 * The viewer numbers its pointer events (moves, buttons, wheel) from 1 as it sends them. Moves travel unordered, so
 * one can arrive after a newer move or after a click sent later: the host drops a move numbered at or below the
 * newest pointer event it has seen (`INPUT_ERR_STALE_MOVE`). Optional: a viewer page without it is served as before.
 */
const pointerSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();
const point = { x: unit, y: unit, seq: pointerSeq };
export const pointerButtonSchema = z.enum(['left', 'middle', 'right']);
export type PointerButton = z.infer<typeof pointerButtonSchema>;

export const modifiersSchema = z.strictObject({ ctrl: z.boolean(), alt: z.boolean(), shift: z.boolean(), meta: z.boolean() });
export type Modifiers = z.infer<typeof modifiersSchema>;

export const controlMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('move'), ...point }),
  z.strictObject({ t: z.literal('button'), button: pointerButtonSchema, down: z.boolean(), ...point }),
  /** Wheel in notches (positive dy scrolls down, positive dx right). */
  z.strictObject({ t: z.literal('wheel'), dx: z.number().int().min(-20).max(20), dy: z.number().int().min(-20).max(20), ...point }),
  z.strictObject({
    t: z.literal('key'),
    code: z.string().regex(/^[A-Za-z0-9]{0,32}$/),
    key: z.string().min(1).max(32),
    down: z.boolean(),
    mods: modifiersSchema,
  }),
  /** A key combination from the viewer's keys menu (keys a browser cannot capture, or the OS keeps for itself). */
  z.strictObject({ t: z.literal('combo'), combo: z.enum(['ctrl-alt-del', 'super', 'alt-tab', 'alt-f4', 'printscreen', 'ctrl-esc']) }),
  /** Text from composition/IME or characters with no key mapping. */
  z.strictObject({ t: z.literal('text'), text: z.string().min(1).max(MAX_TEXT_CHARS) }),
  /** The viewer lost focus: release every held key and button. */
  z.strictObject({ t: z.literal('release-all') }),
  /** Sent while the viewer holds a key or button, so the host's held-input watchdog knows it is still meant. */
  z.strictObject({ t: z.literal('keepalive') }),
  z.strictObject({ t: z.literal('control.request') }),
  z.strictObject({ t: z.literal('control.release') }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;
export type KeyCombo = Extract<ControlMessage, { t: 'combo' }>['combo'];

/** Any JSON number onto 0..1 (`1e999` parses as Infinity); anything else is no position at all. */
const releaseCoordinate = z
  .unknown()
  .transform((v) => (typeof v === 'number' && !Number.isNaN(v) ? Math.min(1, Math.max(0, v)) : undefined));

/**
 * A button release, read leniently by the host when it fails `controlMessageSchema`: a release must always
 * release, so a position off the surface (`x: 1.5`) is clamped onto its edge, a position that is no number
 * leaves the pointer where it is, and extra fields are ignored. Only the button itself must be known.
 */
export const buttonReleaseSchema = z.object({
  t: z.literal('button'),
  button: pointerButtonSchema,
  down: z.literal(false),
  x: releaseCoordinate.optional(),
  y: releaseCoordinate.optional(),
  /** A number that is no valid one is left out: it only orders moves, and a release must release. */
  seq: pointerSeq.catch(undefined),
});
export type ButtonRelease = z.infer<typeof buttonReleaseSchema>;

/** Host → viewer. Informational only: the host never reads it back. */
/**
 * `cooldown`: a request came too soon after a Deny and the host was not asked; `blocked`: the host chose
 * "Don't ask again" for this session.
 */
export const controlStateSchema = z.enum(['none', 'requested', 'granted', 'denied', 'cooldown', 'blocked', 'revoked', 'unsupported']);
export type ControlState = z.infer<typeof controlStateSchema>;
export const hostNoticeSchema = z.strictObject({ t: z.literal('control.state'), state: controlStateSchema });
export type HostNotice = z.infer<typeof hostNoticeSchema>;

/** The viewer sends a keepalive this often while it holds a key or button down. */
export const HELD_KEEPALIVE_MS = 1000;
/** The host lets go of everything held when no control message arrived for this long. */
export const HELD_INPUT_TIMEOUT_MS = 3000;

/** The negotiated id of the pointer channel (both sides create it; simple-peer never sees it). */
export const POINTER_CHANNEL_ID = 7;
