import { displayName } from '../../common/display-text';
import type { ControlState, HostNotice } from '../../protocol/control-messages';
import type { PeerDeskHostApi } from '../../protocol/host-api';
import { DEFAULT_REVOKE_HOTKEY } from '../../protocol/settings';
import type { PeerLink } from '../net/peer-link';
import type { Asker } from '../ui/technician-identity';
import { h } from '../ui/dom';

/** `Control+Alt+Shift+X` (an Electron accelerator) as people read it. */
export const hotkeyLabel = (accelerator: string) => accelerator.replace(/\b(CommandOrControl|Control)\b/g, 'Ctrl');

export const REVOKE_HOTKEY_LABEL = hotkeyLabel(DEFAULT_REVOKE_HOTKEY);

/**
 * Host side of remote control in the renderer: a carrier only. Viewer messages go
 * to main untouched (main validates and decides); main's decisions come back and
 * are shown to the host and told to the viewer. In a browser there is no main, so
 * every request is answered "unsupported".
 */
export class ControlRelay {
  readonly bar = h('section', { class: 'control-bar', id: 'control-bar', role: 'alert', hidden: true });
  private unsubscribe?: () => void;

  constructor(
    private readonly link: PeerLink,
    private readonly api: PeerDeskHostApi | undefined,
    private readonly asker: Asker,
    private readonly revokeLabel = REVOKE_HOTKEY_LABEL,
    /** Every control decision, for the session log. */
    private readonly onChange?: (state: ControlState) => void,
  ) {
    const decoder = new TextDecoder();
    link.peer.on('data', (data: Uint8Array) => this.fromViewer(decoder.decode(data)));
    link.pointer.onmessage = (e) => typeof e.data === 'string' && this.fromViewer(e.data);
    if (api) {
      this.unsubscribe = api.onControlState((state) => this.onState(state));
      // Main shows the identity on its control prompt and checks the host's "only verified" policy itself.
      void api.startControlSession(asker.name, asker.identity);
    } else {
      // Said up front, so the viewer's "Request control" is disabled with the reason before anyone clicks it.
      this.notify('unsupported');
    }
  }

  private fromViewer(text: string): void {
    if (this.api) void this.api.controlMessage(text);
    else if (text.includes('control.request')) this.notify('unsupported');
  }

  private onState(state: ControlState): void {
    this.notify(state);
    this.onChange?.(state);
    document.body.dataset.controlState = state;
    this.bar.hidden = state !== 'granted';
    if (state === 'granted') {
      this.bar.replaceChildren(
        h(
          'span',
          {},
          `${displayName(this.asker.name)} is controlling your mouse and keyboard — press ${this.revokeLabel} or click to take back control`,
        ),
        h('button', { class: 'secondary', id: 'revoke-control', on: { click: () => void this.api?.revokeControl() } }, 'Take back control'),
      );
    }
  }

  private notify(state: ControlState): void {
    const notice: HostNotice = { t: 'control.state', state };
    this.link.sendReliable(JSON.stringify(notice));
  }

  dispose(): void {
    this.unsubscribe?.();
    void this.api?.endControlSession();
  }
}
