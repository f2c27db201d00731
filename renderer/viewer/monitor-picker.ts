import { displayName } from '../../common/display-text';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { h } from '../ui/dom';

/**
 * "Screen 1 / Screen 2": shown only when the host shares a whole screen and has several. Asking for another one
 * ends control (the host's app switches the source, and every switch revokes control).
 */
export function monitorPicker(toolkit: ToolkitChannel, onChosen?: (index: number) => void): HTMLElement {
  const select = h('select', { id: 'monitor', 'aria-label': 'Which of their screens', class: 'quality' });
  const label = h('label', { class: 'menu-label', id: 'monitor-label', hidden: true }, 'Screen ', select);
  select.addEventListener('change', () => {
    select.disabled = true;
    toolkit.send({ t: 'screen.select', id: select.value });
    // Its place in the host's list: the audit trail's `monitor.chosen` (the host reports the switch it made).
    onChosen?.(select.selectedIndex);
  });
  toolkit.on((m) => {
    if (m.t !== 'screens') return;
    select.replaceChildren(...m.list.map((s) => h('option', { value: s.id, selected: s.current }, displayName(s.name))));
    select.disabled = false;
    label.hidden = m.list.length < 2;
  });
  return label;
}
