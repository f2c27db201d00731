import type { BrowserWindow, IpcMainEvent } from 'electron';
import * as z from 'zod';
import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import type { ControlPrompt } from '../services/consent-service';
import { isTrustedSender } from './trusted-sender';

/**
 * The control consent prompt as a main-process window, always on top. It exists
 * only while control is "requested", when InputService injects nothing, and as a
 * BrowserWindow its bounds are among the PeerDesk windows input never reaches.
 * Closing it denies. Its answers arrive on the IPC channel ipc-handlers.ts registers (every channel is
 * registered there) and come here through `onAnswer`.
 */
export interface ConsentWindowDeps {
  /** `identity`: the server-verified technician, shown as verified; absent: the typed name, shown as not verified. */
  open: (viewer: string, identity?: VerifiedIdentity) => BrowserWindow;
  appOrigin: string;
  /** `dontAskAgain` only ever comes with a Deny. */
  answer: (allow: boolean, dontAskAgain: boolean) => void;
  /** A refused answer (another sender, not a boolean, Allow too early), for the log. */
  rejected: (reason: string) => void;
  now?: () => number;
}

export interface ConsentWindowPrompt extends ControlPrompt {
  /** An `answerControlPrompt` IPC message: taken only from the open prompt's own window, Allow only after the delay. */
  onAnswer(event: IpcMainEvent, raw: unknown, rawDontAsk: unknown): void;
}

export function consentWindowPrompt({ open, appOrigin, answer, rejected, now = Date.now }: ConsentWindowDeps): ConsentWindowPrompt {
  let current: { win: BrowserWindow; shownAt: number } | undefined;
  const settle = (allow: boolean | undefined, dontAskAgain = false) => {
    const win = current?.win;
    current = undefined;
    if (win && !win.isDestroyed()) win.close();
    if (allow !== undefined) answer(allow, !allow && dontAskAgain);
  };
  const onAnswer = (event: IpcMainEvent, raw: unknown, rawDontAsk: unknown) => {
    const prompt = current;
    if (!prompt) return rejected('no prompt is open');
    if (!isTrustedSender(event, () => prompt.win.webContents, appOrigin)) return rejected('untrusted sender');
    const allow = z.boolean().safeParse(raw);
    const dontAskAgain = z.boolean().optional().safeParse(rawDontAsk);
    if (!allow.success || !dontAskAgain.success) return rejected('the answer is not a boolean');
    if (allow.data && now() - prompt.shownAt < CONTROL_PROMPT_INPUT_DELAY_MS) return rejected('Allow within the input delay');
    settle(allow.data, dontAskAgain.data);
  };
  return {
    onAnswer,
    ask(viewer, identity) {
      settle(undefined);
      const win = open(viewer, identity);
      const prompt = { win, shownAt: now() };
      current = prompt;
      // The delay counts from the moment the host can see the prompt.
      win.once('show', () => (prompt.shownAt = now()));
      win.once('closed', () => current === prompt && settle(false));
    },
    dismiss() {
      settle(undefined);
    },
  };
}
