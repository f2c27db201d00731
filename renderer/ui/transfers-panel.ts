import { displayFileName, displayName } from '../../common/display-text';
import { formatSize } from '../../common/format-size';
import type { FileTransfers, TransferView } from '../files/file-transfers';
import type { TransferPaceName } from '../files/transfer-pace';
import { h, mount } from './dom';

const STATE_TEXT: Record<TransferView['state'], string> = {
  queued: 'Queued',
  offered: 'Waiting for them to accept',
  incoming: 'Wants to send you this file',
  sending: 'Sending',
  receiving: 'Receiving',
  verifying: 'Checking',
  done: 'Done',
  declined: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/**
 * Files, both directions: pick or drop files to send; each transfer shows name, size and type, then progress and
 * speed; an incoming file waits for Accept or Decline; anything in progress can be cancelled. A badge on the toggle
 * counts files waiting for an answer.
 */
export class TransfersPanel {
  readonly toggle: HTMLButtonElement;
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'transfer-list', id: 'transfer-list' });
  private readonly badge = h('span', { class: 'badge', id: 'files-pending', hidden: true }, '0');
  private readonly picker = h('input', {
    type: 'file',
    multiple: true,
    id: 'file-input',
    class: 'visually-hidden',
    'aria-label': 'Files to send',
  });
  private readonly unsubscribe: () => void;
  private readonly rows = new Map<string, TransferRow>();

  constructor(
    private readonly transfers: FileTransfers,
    docked = false,
  ) {
    this.toggle = h(
      'button',
      { class: 'secondary', id: 'toggle-files', on: { click: () => this.setOpen(Boolean(this.element.hidden)) } },
      'Files ',
      this.badge,
    );
    this.picker.addEventListener('change', () => {
      transfers.send([...(this.picker.files ?? [])]);
      this.picker.value = '';
    });
    const drop = h(
      'div',
      { class: 'drop-zone', id: 'file-drop' },
      'Drop files here or ',
      h('button', { class: 'secondary', id: 'pick-files', type: 'button', on: { click: () => this.picker.click() } }, 'Choose files…'),
      this.picker,
    );
    for (const target of [drop]) {
      target.addEventListener('dragover', (e) => e.preventDefault());
      target.addEventListener('drop', (e) => {
        e.preventDefault();
        transfers.send([...(e.dataTransfer?.files ?? [])]);
      });
    }
    this.element = h(
      'aside',
      { class: docked ? 'files docked' : 'files', id: 'files-panel', hidden: true, 'aria-label': 'Files' },
      h('h3', {}, 'Files'),
      drop,
      paceChoice(transfers),
      this.list,
    );
    this.unsubscribe = transfers.onChange((views) => this.render(views));
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
  }

  private render(views: TransferView[]): void {
    const waiting = views.filter((v) => v.state === 'incoming').length;
    this.badge.textContent = String(waiting);
    this.badge.hidden = waiting === 0;
    if (waiting) this.setOpen(true); // an offer is a question: show it
    const shown = views.map((v) => this.row(v));
    const ids = new Set(views.map((v) => v.id));
    for (const id of this.rows.keys()) if (!ids.has(id)) this.rows.delete(id);
    const children = [...this.list.children];
    if (children.length !== shown.length || shown.some((li, i) => children[i] !== li)) mount(this.list, ...shown);
  }

  /**
   * One transfer's row, updated in place: progress ticks many times a second, and a row rebuilt on each tick would
   * swap its Cancel button for a new one under the person's pointer, so a click could land on nothing. The buttons
   * are rebuilt only when the choices change.
   */
  private row(v: TransferView): HTMLElement {
    let row = this.rows.get(v.id);
    if (!row) {
      const body = h('div', { class: 'transfer-body' });
      const actions = h('div', { class: 'actions' });
      row = { li: h('li', {}, body, actions), body, actions, choices: undefined };
      this.rows.set(v.id, row);
    }
    row.li.className = `transfer ${v.direction} ${v.state}`;
    Object.assign(row.li.dataset, { transferId: v.id, state: v.state, direction: v.direction, bytes: String(v.bytes) });
    mount(row.body, ...details(v));
    const choices = choicesFor(v.state);
    if (choices !== row.choices) {
      row.choices = choices;
      mount(row.actions, ...this.buttons(v.id, choices));
      row.actions.hidden = choices === 'none';
    }
    return row.li;
  }

  private buttons(id: string, choices: Choices): HTMLButtonElement[] {
    const button = (action: string, label: string, cls: string, onClick: () => void) =>
      h('button', { class: cls, dataset: { action }, on: { click: onClick } }, label);
    if (choices === 'answer')
      return [
        button('decline', 'Decline', 'secondary', () => this.transfers.decline(id)),
        button('accept', 'Accept', 'primary', () => void this.transfers.accept(id)),
      ];
    if (choices === 'cancel') return [button('cancel', 'Cancel', 'secondary', () => this.transfers.cancel(id))];
    return [];
  }

  dispose(): void {
    this.unsubscribe();
  }
}

type Choices = 'answer' | 'cancel' | 'none';
interface TransferRow {
  li: HTMLLIElement;
  body: HTMLElement;
  actions: HTMLElement;
  choices: Choices | undefined;
}

function choicesFor(state: TransferView['state']): Choices {
  if (state === 'incoming') return 'answer';
  return ['queued', 'offered', 'sending', 'receiving'].includes(state) ? 'cancel' : 'none';
}

/** What a row says of its transfer: name, size and type, state, progress and speed, and why it failed. */
function details(v: TransferView): HTMLElement[] {
  const percent = v.size ? Math.floor((v.bytes / v.size) * 100) : 100;
  const lines = [
    ...fileNameLines(v),
    h('div', { class: 'transfer-meta' }, `${formatSize(v.size)} · ${displayName(v.mime) || 'unknown type'} · ${STATE_TEXT[v.state]}`),
    ['sending', 'receiving', 'verifying', 'done'].includes(v.state)
      ? h('progress', { max: 100, value: percent, 'aria-label': `${percent}%` })
      : null,
    v.speed > 0 ? h('div', { class: 'transfer-speed' }, `${percent}% · ${formatSize(v.speed)}/s`) : null,
    v.averageSpeed ? h('div', { class: 'transfer-speed' }, `${formatSize(v.averageSpeed)}/s on average`) : null,
    v.detail ? h('div', { class: 'transfer-detail' }, v.detail) : null,
  ];
  return lines.filter((line): line is HTMLElement => line !== null);
}

/** How this side sends: the picture first (paced), or the file first; applies from the next file on. */
function paceChoice(transfers: FileTransfers): HTMLElement {
  const select = h(
    'select',
    { id: 'transfer-pace', on: { change: () => (transfers.pace = select.value as TransferPaceName) } },
    h('option', { value: 'smooth' }, 'Keep the picture smooth'),
    h('option', { value: 'fast' }, 'As fast as possible'),
  );
  select.value = transfers.pace;
  return h('label', { class: 'transfer-pace' }, 'Sending: ', select);
}

/**
 * The name through the display rule; a name that had to be cleaned (direction overrides, invisible characters) was
 * made to mislead, so its real type is said apart, where no trick in the name can reach it.
 */
function fileNameLines(v: TransferView): HTMLElement[] {
  const shown = displayFileName(v.name);
  const name = h('div', { class: 'transfer-name' }, v.direction === 'out' ? '↑ ' : '↓ ', h('strong', {}, shown.name));
  if (!shown.altered) return [name];
  const type = shown.realType ? `real type: ${shown.realType}` : 'no file type';
  return [
    name,
    h('div', { class: 'transfer-warning warning' }, `${type} — this name held hidden or direction-changing characters, removed here`),
  ];
}
