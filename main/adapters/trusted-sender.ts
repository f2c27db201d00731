import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';

/** Only the app's own main frame may call the host API. */
export function isTrustedSender(
  event: IpcMainInvokeEvent | IpcMainEvent,
  trusted: () => WebContents | undefined,
  appOrigin: string,
): boolean {
  const frame = event.senderFrame;
  return event.sender === trusted() && frame !== null && frame === event.sender.mainFrame && frame.url.startsWith(`${appOrigin}/`);
}
