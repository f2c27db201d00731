import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { h } from '../ui/dom';
import { sourcePicker } from './source-picker';

/** "Share something else": the picker with the current source selected, confirm or cancel. */
export async function switchPanel(
  api: PeerDeskHostApi,
  currentId: string | undefined,
  onConfirm: (source: CaptureSource | undefined) => void,
  onCancel: () => void,
): Promise<HTMLElement> {
  const picker = await sourcePicker(api, () => undefined, currentId);
  return h(
    'section',
    { class: 'card', id: 'switch-panel' },
    h('h3', {}, 'Share something else'),
    picker.element,
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'primary', id: 'confirm-switch', on: { click: () => onConfirm(picker.selected()) } }, 'Share this instead'),
      h('button', { class: 'secondary', on: { click: onCancel } }, 'Cancel'),
    ),
  );
}
