import type { X11Connection } from '../../main/services/input/x11-connection';

/** Keys currently held down on the X server (bits of QueryKeymap), as keycodes. */
export async function heldKeycodes(x11: X11Connection): Promise<number[]> {
  const bits = await x11.call<Buffer>((cb) => x11.x.QueryKeymap(cb));
  return [...bits].flatMap((byte, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((b) => byte & (1 << b)).map((b) => i * 8 + b));
}

/** Pointer buttons currently held down on the X server (Button1Mask … Button5Mask of QueryPointer), as numbers. */
export async function heldButtons(x11: X11Connection): Promise<number[]> {
  const { keyMask } = await x11.call<{ keyMask: number }>((cb) => x11.x.QueryPointer(x11.root, cb));
  return [1, 2, 3, 4, 5].filter((b) => keyMask & (0x80 << b));
}

/** Nothing pressed at all: no key, no button. */
export async function nothingHeld(x11: X11Connection): Promise<{ keys: number[]; buttons: number[] }> {
  return { keys: await heldKeycodes(x11), buttons: await heldButtons(x11) };
}
