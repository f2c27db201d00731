/** Limits shared by every side of the wire. Changing one is a protocol change. */
export const PROTOCOL_VERSION = 1;

/** Largest signaling frame the server accepts, in bytes (an SDP offer with many codecs is ~6 KiB). */
export const MAX_SIGNALING_FRAME_BYTES = 64 * 1024;
export const MAX_SDP_CHARS = 48 * 1024;
export const MAX_DISPLAY_NAME_CHARS = 64;
/** A help request's description (what the person asking writes for the technicians). */
export const MAX_HELP_DESCRIPTION_CHARS = 500;

export const SESSION_CODE_DIGITS = 9;
export const SESSION_PIN_DIGITS = 6;
/** A code locks after this many wrong PINs. */
export const MAX_WRONG_PINS_PER_CODE = 5;

/** The origin the desktop app loads its renderer from (main/ registers it; the server always allows it). */
export const DESKTOP_APP_ORIGIN = 'app://peerdesk';
