import type { PeerDeskHostApi } from '../../protocol/host-api';
import { DEFAULT_MAX_FILE_BYTES } from '../../protocol/toolkit-messages';
import { BROWSER_MAX_FILE_BYTES, browserDownloadSink, desktopSink, hasDesktopSave } from '../files/file-sinks';
import { FileTransfers } from '../files/file-transfers';
import type { PeerLink } from '../net/peer-link';
import { logFiles } from '../session/log-recorders';
import type { SessionLog } from '../session/session-log';
import { ChatPanel } from '../ui/chat-panel';
import { ClipboardShare } from '../ui/clipboard-share';
import { TransfersPanel } from '../ui/transfers-panel';
import { serveQualityRequests } from './quality-relay';
import { HostAnnotations } from '../annotations/host-annotations';

/**
 * What the host's side of a connected session offers besides the picture: chat, files (saved through main in the
 * desktop app, through a download in a browser) and the viewer's quality requests. Panels sit in the page's flow,
 * so nothing ever covers the sharing bar's Stop.
 */
export class HostToolkit {
  readonly chat: ChatPanel;
  readonly files: TransfersPanel;
  /** The technician's pointer and marks over a preview of what is shared (view consent is enough: nothing is injected). */
  readonly annotations: HostAnnotations;
  /** Desktop app only: a page cannot read the host's system clipboard. */
  readonly clipboard?: ClipboardShare;
  private readonly transfers: FileTransfers;
  private readonly stops: Array<() => void> = [];

  /** `maxFileBytes`: the host's setting (the desktop app saves up to it; main checks it again). */
  constructor(
    link: PeerLink,
    api: PeerDeskHostApi | undefined,
    viewerName: string,
    log?: SessionLog,
    maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {
    this.chat = new ChatPanel(link.toolkit, viewerName, true);
    this.transfers = new FileTransfers({
      toolkit: link.toolkit,
      pc: link.pc,
      sinkFor: (name, size, mime) =>
        hasDesktopSave(api) ? desktopSink(api, name, size) : Promise.resolve(browserDownloadSink(name, mime)),
      maxBytes: hasDesktopSave(api) ? maxFileBytes : BROWSER_MAX_FILE_BYTES,
    });
    this.files = new TransfersPanel(this.transfers, true);
    // Desktop app: accepted marks also go to main, which paints them in its overlay over what is shared.
    const toOverlay = api?.annotationOverlay?.bind(api);
    this.annotations = new HostAnnotations(link.pc, toOverlay);
    this.stops.push(serveQualityRequests(link));
    if (api?.readClipboard && api.writeClipboard) {
      const { readClipboard, writeClipboard, setClipboardSharing } = api;
      const io = { read: () => readClipboard(), write: (t: string) => writeClipboard(t), setSharing: setClipboardSharing };
      this.clipboard = new ClipboardShare(link.toolkit, 'host', io, log);
    }
    if (log) this.stops.push(logFiles(log, this.transfers));
  }

  get toggles(): { chatToggle: HTMLElement; filesToggle: HTMLElement } {
    return { chatToggle: this.chat.toggle, filesToggle: this.files.toggle };
  }

  get elements(): HTMLElement[] {
    return [...(this.clipboard ? [this.clipboard.element] : []), this.chat.element, this.files.element, this.annotations.element];
  }

  /** The session is over: transfers stop and partial files go. */
  dispose(): void {
    this.stops.forEach((stop) => stop());
    this.chat.dispose();
    this.annotations.dispose();
    this.clipboard?.dispose();
    this.files.dispose();
    this.transfers.dispose();
  }
}
