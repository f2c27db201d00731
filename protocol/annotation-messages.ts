/**
 * Pointer and annotations: the technician points and draws over what the person shares. Its own data channel
 * ("annotations", negotiated id 10, reliable and ordered), so a laser pointer at frame rate never waits behind a file
 * offer and the toolkit's 5 messages/s stay as they are. Nothing here is input: the host draws shapes on a canvas
 * and injects nothing, so view consent is enough and control consent is never asked or needed.
 *
 * Every coordinate is normalised to the shared surface (0..1, top-left origin), like pointer moves: the host maps
 * it onto whatever shows the surface (its own preview, the desktop overlay over the shared window).
 */
import * as z from 'zod';

/** The negotiated id of the annotation channel (pointer is 7, toolkit 8, files 9). */
export const ANNOTATION_CHANNEL_ID = 10;
/** Largest annotation message the host parses, in bytes: a freehand stroke of the most points fits. */
export const MAX_ANNOTATION_MESSAGE_BYTES = 16 * 1024;
/** Messages per second the viewer may send (burst twice that): the laser follows the cursor at display rate. */
export const ANNOTATION_MESSAGES_PER_SECOND = 90;
export const ANNOTATION_BURST = 180;
/** Points in one freehand stroke; the viewer thins a longer one before sending. */
export const MAX_FREEHAND_POINTS = 400;
/** Characters in a text label (after the display rule). */
export const MAX_LABEL_CHARS = 60;
/** Marks on screen at once; a new one beyond this replaces the oldest unpinned one. */
export const MAX_MARKS = 50;
/** How long a mark stays before it fades, unless pinned, and how long fading takes. */
export const MARK_VISIBLE_MS = 4000;
export const MARK_FADE_MS = 1000;
/** The laser dot disappears when no move came for this long (the cursor left the video, the link stalled). */
export const LASER_IDLE_MS = 1500;

/** A small fixed palette: readable on light and dark screens, no colour the other side could choose freely. */
export const ANNOTATION_COLORS = ['red', 'yellow', 'green', 'blue'] as const;
export const annotationColorSchema = z.enum(ANNOTATION_COLORS);
export type AnnotationColor = z.infer<typeof annotationColorSchema>;
/** What each palette name paints (sRGB hex), on the host's canvas and the viewer's preview alike. */
export const COLOR_HEX: Record<AnnotationColor, string> = {
  red: '#ff1f3d',
  yellow: '#ffd400',
  green: '#00d26a',
  blue: '#1f7bff',
};

const unit = z.number().min(0).max(1);
export const normPointSchema = z.strictObject({ x: unit, y: unit });
export type NormPoint = z.infer<typeof normPointSchema>;

/**
 * A label is a few plain words: one line through the display rule's own characters, and no angle brackets at all —
 * it is drawn as text on a canvas, never parsed, but nothing shaped like markup has a reason to travel.
 */
const labelSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_LABEL_CHARS)
  .refine((s) => !/[<>]/.test(s), 'markup in a label')
  .refine((s) => !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(s), 'hidden characters in a label');

export const shapeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('arrow'), from: normPointSchema, to: normPointSchema }),
  z.strictObject({ kind: z.literal('rect'), from: normPointSchema, to: normPointSchema }),
  z.strictObject({ kind: z.literal('freehand'), points: z.array(normPointSchema).min(2).max(MAX_FREEHAND_POINTS) }),
  z.strictObject({ kind: z.literal('text'), at: normPointSchema, text: labelSchema }),
]);
export type Shape = z.infer<typeof shapeSchema>;
export type ShapeKind = Shape['kind'];

/** Viewer → host. */
export const viewerAnnotationSchema = z.discriminatedUnion('t', [
  /** The laser dot: where the technician's cursor is over the video. */
  z.strictObject({ t: z.literal('laser'), x: unit, y: unit, color: annotationColorSchema }),
  /** The cursor left the video: the dot goes at once. */
  z.strictObject({ t: z.literal('laser.off') }),
  /** A finished mark; `id` chosen by the viewer, unique per session. Pinned marks stay until cleared. */
  z.strictObject({
    t: z.literal('mark'),
    id: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31),
    shape: shapeSchema,
    color: annotationColorSchema,
    pinned: z.boolean(),
  }),
  /** Everything goes, pinned marks too. */
  z.strictObject({ t: z.literal('clear') }),
]);
export type ViewerAnnotation = z.infer<typeof viewerAnnotationSchema>;

/**
 * Host page → main → the desktop overlay: a message the host page accepted, or `off` (marks turned off, the
 * session over). Main parses it again with this schema: the page is trusted, but what it carries came off the wire.
 */
export const overlayMessageSchema = z.union([viewerAnnotationSchema, z.strictObject({ t: z.literal('off') })]);
export type OverlayMessage = z.infer<typeof overlayMessageSchema>;

/** Host → viewer: whether the person shows marks at all (on at start; they may turn it off at any time). */
export const hostAnnotationSchema = z.strictObject({ t: z.literal('annotations.state'), enabled: z.boolean() });
export type HostAnnotation = z.infer<typeof hostAnnotationSchema>;

/** Why the host refused an annotation message: counted by code, never thrown. */
export const AnnotationErrorCode = {
  /** Not text, or over MAX_ANNOTATION_MESSAGE_BYTES. */
  TOO_LARGE: 'ANNOT_ERR_TOO_LARGE',
  /** Over the per-viewer rate (ANNOTATION_MESSAGES_PER_SECOND, burst ANNOTATION_BURST). */
  RATE: 'ANNOT_ERR_RATE',
  BAD_JSON: 'ANNOT_ERR_BAD_JSON',
  /** Parsed, but not a message of this schema (unknown type, a coordinate out of 0..1, markup in a label, …). */
  BAD_MESSAGE: 'ANNOT_ERR_BAD_MESSAGE',
  /** The person turned annotations off: nothing is drawn. */
  OFF: 'ANNOT_ERR_OFF',
} as const;
export type AnnotationErrorCode = (typeof AnnotationErrorCode)[keyof typeof AnnotationErrorCode];
