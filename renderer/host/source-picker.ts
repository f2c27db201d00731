import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { h } from '../ui/dom';

/**
 * The "what to share" list of the consent prompt. With the desktop API it lists
 * screens and windows at once by name, and fills in thumbnails when they are ready
 * (grabbing them takes hundreds of milliseconds; the prompt must not wait for them).
 * In a browser it explains that the browser's own picker will ask.
 */
export async function sourcePicker(api: PeerDeskHostApi | undefined, onPick: (s: CaptureSource) => void, selectedId?: string) {
  if (!api)
    return { element: h('p', { class: 'hint' }, 'Your browser will ask which screen or window to share.'), selected: () => undefined };
  const sources = await api.listSources({ thumbnails: false });
  let selected = sources.find((s) => s.id === selectedId) ?? sources[0];
  const list = h('div', { class: 'source-list', role: 'radiogroup', 'aria-label': 'What to share' });
  for (const source of sources) {
    const input = h('input', {
      type: 'radio',
      name: 'source',
      value: source.id,
      checked: source === selected,
      on: { change: () => pick(source) },
    });
    list.append(
      h(
        'label',
        { class: 'source', dataset: { sourceId: source.id } },
        input,
        h('div', { class: 'thumb-placeholder' }, source.kind === 'screen' ? 'Screen' : 'Window'),
        h('span', { class: 'source-name' }, source.name),
      ),
    );
  }
  void api.listSources({ thumbnails: true }).then(
    (withThumbnails) => {
      for (const { id, thumbnail, icon } of withThumbnails) {
        const item = list.querySelector(`[data-source-id="${CSS.escape(id)}"]`);
        const placeholder = item?.querySelector('.thumb-placeholder');
        if (thumbnail && placeholder) placeholder.replaceWith(h('img', { src: thumbnail, alt: '' }));
        if (icon) item?.querySelector('.source-name')?.prepend(h('img', { class: 'app-icon', src: icon, alt: '' }));
      }
    },
    () => undefined, // the names are enough to choose
  );
  function pick(s: CaptureSource) {
    selected = s;
    onPick(s);
  }
  return { element: list, selected: () => selected };
}
