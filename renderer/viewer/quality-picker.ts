import type { QualityMode } from '../../protocol/toolkit-messages';
import { QUALITY_PRESETS } from '../media/quality';
import type { ToolkitChannel } from '../net/toolkit-channel';
import { h } from '../ui/dom';

/** "Sharp text / Smooth motion / Low bandwidth": asks the host, and reports what the host applied. */
export function qualityPicker(toolkit: ToolkitChannel, onApplied: (label: string) => void): HTMLSelectElement {
  const select = h(
    'select',
    { id: 'quality', 'aria-label': 'Picture quality', class: 'quality' },
    ...(Object.entries(QUALITY_PRESETS) as Array<[QualityMode, { label: string }]>).map(([mode, p]) =>
      h('option', { value: mode }, p.label),
    ),
  );
  select.addEventListener('change', () => toolkit.send({ t: 'quality.set', mode: select.value as QualityMode }));
  toolkit.on((m) => {
    if (m.t === 'quality.applied') onApplied(QUALITY_PRESETS[m.mode].label);
  });
  return select;
}
