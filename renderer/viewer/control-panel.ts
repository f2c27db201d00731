import { type ControlState, hostNoticeSchema, type KeyCombo } from '../../protocol/control-messages';
import { naiveProfile } from '../instrumented';
import type { PeerLink } from '../net/peer-link';
import { h } from '../ui/dom';
import { counter, InputCapture } from './input-capture';

const STATE_TEXT: Record<ControlState | 'idle', string> = {
  idle: 'View only',
  none: 'View only',
  requested: 'Control requested — waiting for the person to allow it',
  granted: 'You are controlling their mouse and keyboard',
  denied: 'The person declined control',
  cooldown: 'The person declined recently — you can ask again in a little while',
  blocked: 'The person does not want to be asked again in this session',
  revoked: 'The person took control back',
  unsupported: 'Control needs the PeerDesk desktop app on their side',
};

/** The keys menu: combinations a browser cannot capture or the viewer's own OS would act on. */
const KEY_COMBOS: Array<[KeyCombo, string, string?]> = [
  ['ctrl-alt-del', 'Ctrl+Alt+Del', 'Not on Windows: it reserves this for itself (Secure Attention Sequence)'],
  ['super', 'Windows / Super key'],
  ['alt-tab', 'Alt+Tab'],
  ['alt-f4', 'Alt+F4'],
  ['printscreen', 'Print Screen'],
  ['ctrl-esc', 'Ctrl+Esc'],
];

/** The viewer's "Request control" button, its visible state, the keys menu, and input capture while granted. */
export class ControlPanel {
  readonly status = h('span', { class: 'control-state', id: 'control-state', role: 'status' }, STATE_TEXT.idle);
  readonly button = h('button', { class: 'primary', id: 'request-control', on: { click: () => this.toggle() } }, 'Request control');
  readonly keysMenu = h(
    'details',
    { class: 'keys-menu', id: 'keys-menu', hidden: true },
    h('summary', { class: 'secondary' }, 'Keys'),
    h(
      'ul',
      { role: 'menu' },
      ...KEY_COMBOS.map(([combo, label, note]) =>
        h(
          'li',
          { role: 'none' },
          h(
            'button',
            { role: 'menuitem', class: 'secondary', dataset: { combo }, title: note ?? '', on: { click: () => this.sendCombo(combo) } },
            label,
          ),
        ),
      ),
    ),
  );
  private capture?: InputCapture;
  private state: ControlState = 'none';
  /** Pointer event numbers go on rising across grants, so a move from an earlier grant is never the newest. */
  private readonly pointerSeq = counter();

  constructor(
    private readonly link: PeerLink,
    private readonly video: HTMLVideoElement,
    /** Every state the host reports, for the session log. */
    private readonly onChange?: (state: ControlState) => void,
  ) {
    link.peer.on('data', (data: Uint8Array) => this.onHostMessage(new TextDecoder().decode(data)));
  }

  private sendCombo(combo: KeyCombo): void {
    this.link.sendReliable(JSON.stringify({ t: 'combo', combo }));
    this.keysMenu.open = false;
  }

  private toggle(): void {
    if (this.state === 'granted') this.link.sendReliable(JSON.stringify({ t: 'control.release' }));
    else if (this.link.sendReliable(JSON.stringify({ t: 'control.request' }))) this.show('requested');
  }

  /** Host notices are informational; the host decides everything. */
  private onHostMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const notice = hostNoticeSchema.safeParse(json);
    if (!notice.success) return;
    this.show(notice.data.state);
    this.onChange?.(notice.data.state);
  }

  private show(state: ControlState): void {
    this.state = state;
    document.body.dataset.controlState = state;
    this.status.textContent = STATE_TEXT[state];
    this.button.textContent = state === 'granted' ? 'Give back control' : 'Request control';
    this.button.disabled = state === 'requested' || state === 'unsupported' || state === 'blocked';
    this.button.title = state === 'unsupported' || state === 'blocked' ? STATE_TEXT[state] : '';
    this.keysMenu.hidden = state !== 'granted';
    if (state !== 'granted') this.keysMenu.open = false;
    if (state === 'granted' && !this.capture) {
      this.capture = new InputCapture(
        this.video,
        {
          reliable: (m) => this.link.sendReliable(JSON.stringify(m)),
          // The naive profile (benchmark baseline) sends moves on the one reliable channel, like most apps.
          fast: (m) => (naiveProfile ? this.link.sendReliable(JSON.stringify(m)) : this.link.sendPointer(JSON.stringify(m))),
        },
        this.pointerSeq,
        !naiveProfile,
      );
    } else if (state !== 'granted') this.stopCapture();
  }

  stopCapture(): void {
    this.capture?.dispose();
    this.capture = undefined;
  }
}
