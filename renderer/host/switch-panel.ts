import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { h } from '../ui/dom';
import { sourcePicker } from './source-picker';

/** "Share something else": the picker with the current source selected, confirm or cancel. */
export function switchPanel(
  api: PeerDeskHostApi,
  currentId: string | undefined,
  onConfirm: (source: CaptureSource | undefined) => void,
  onCancel: () => void,
): HTMLElement {
  const picker = sourcePicker(api, () => undefined, currentId);
  const confirm = h(
    'button',
    { class: 'primary', id: 'confirm-switch', disabled: true, on: { click: () => onConfirm(picker.selected()) } },
    'Share this instead',
  );
  void picker.ready.then((listed) => (confirm.disabled = !listed));
  return h(
    'section',
    { class: 'card', id: 'switch-panel' },
    h('h3', {}, 'Share something else'),
    picker.element,
    h('div', { class: 'actions' }, confirm, h('button', { class: 'secondary', on: { click: onCancel } }, 'Cancel')),
  );
}
