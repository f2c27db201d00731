import { type BrowserWindow, dialog } from 'electron';
import type { ControlPrompt } from '../services/consent-service';

/**
 * The control consent prompt, owned by the main process. It exists only while
 * control is "requested", when InputService injects nothing, so the viewer cannot
 * click it. Deny is the default button: a stray Enter never grants.
 */
export function dialogControlPrompt(parent: () => BrowserWindow | undefined, answer: (allow: boolean) => void): ControlPrompt {
  let abort: AbortController | undefined;
  return {
    ask(viewer) {
      abort?.abort();
      const controller = new AbortController();
      abort = controller;
      const options = {
        type: 'warning' as const,
        title: 'Allow remote control?',
        message: `${viewer} wants to control your mouse and keyboard`,
        detail: 'Only allow someone you contacted yourself. Press Ctrl+Alt+Shift+X at any time to take control back.',
        buttons: ['Deny', 'Allow control'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
        signal: controller.signal,
      };
      const win = parent();
      void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => {
        if (!controller.signal.aborted) answer(response === 1);
      });
    },
    dismiss() {
      abort?.abort();
      abort = undefined;
    },
  };
}
