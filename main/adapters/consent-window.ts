import { type BrowserWindow, ipcMain } from 'electron';
import { z } from 'zod';
import { IpcChannel } from '../../protocol/ipc-channels';
import type { ControlPrompt } from '../services/consent-service';
import { isTrustedSender } from './ipc-handlers';

/**
 * How long after the prompt appears an Allow is ignored: a click or Enter that was
 * already on its way (the host typing, or anything queued) must not grant control.
 * The prompt page greys the button for the same time; main enforces it.
 */
export const CONSENT_INPUT_DELAY_MS = 1500;

/**
 * The control consent prompt as a main-process window, always on top. It exists
 * only while control is "requested", when InputService injects nothing, and as a
 * BrowserWindow its bounds are among the PeerDesk windows input never reaches.
 * Closing it denies.
 */
export function consentWindowPrompt(
  open: (viewer: string) => BrowserWindow,
  appOrigin: string,
  answer: (allow: boolean) => void,
  now: () => number = Date.now,
): ControlPrompt {
  let current: { win: BrowserWindow; shownAt: number } | undefined;
  const settle = (allow: boolean | undefined) => {
    const win = current?.win;
    current = undefined;
    if (win && !win.isDestroyed()) win.close();
    if (allow !== undefined) answer(allow);
  };
  ipcMain.on(IpcChannel.answerControlPrompt, (event, raw: unknown) => {
    const prompt = current;
    if (!prompt || !isTrustedSender(event, () => prompt.win.webContents, appOrigin)) return;
    const allow = z.boolean().safeParse(raw);
    if (!allow.success) return;
    if (allow.data && now() - prompt.shownAt < CONSENT_INPUT_DELAY_MS) return;
    settle(allow.data);
  });
  return {
    ask(viewer) {
      settle(undefined);
      const win = open(viewer);
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
