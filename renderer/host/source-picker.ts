import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { h } from '../ui/dom';

export interface SourcePicker {
  element: HTMLElement;
  selected(): CaptureSource | undefined;
  /** Settles once there is something to pick: true when the sources are listed (or the browser's picker will ask). */
  ready: Promise<boolean>;
}

/**
 * The "what to share" list of the consent prompt. It is on screen at once and fills in: with the desktop API it
 * lists screens and windows by name as soon as main has them, then thumbnails when they are ready (grabbing them
 * takes hundreds of milliseconds; neither the prompt nor the names wait for them). In a browser it explains that the
 * browser's own picker will ask. `onPick` hears the first selection and every change.
 */
export function sourcePicker(api: PeerDeskHostApi | undefined, onPick: (s: CaptureSource) => void, selectedId?: string): SourcePicker {
  if (!api)
    return {
      element: h('p', { class: 'hint' }, 'Your browser will ask which screen or window to share.'),
      selected: () => undefined,
      ready: Promise.resolve(true),
    };
  let selected: CaptureSource | undefined;
  const list = h(
    'div',
    { class: 'source-list', role: 'radiogroup', 'aria-label': 'What to share', 'aria-busy': 'true' },
    h('p', { class: 'status busy', role: 'status' }, 'Finding your screens and windows…'),
  );
  const pick = (s: CaptureSource) => {
    selected = s;
    onPick(s);
  };
  const ready = api.listSources({ thumbnails: false }).then(
    (sources) => {
      const initial = sources.find((s) => s.id === selectedId) ?? sources[0];
      list.replaceChildren(...sources.map((s) => sourceItem(s, s === initial, () => pick(s))));
      list.removeAttribute('aria-busy');
      if (initial) pick(initial);
      void addThumbnails(api, list);
      return Boolean(initial);
    },
    () => {
      list.replaceChildren(
        h(
          'p',
          { class: 'error', role: 'alert' },
          'Your screens and windows could not be listed. Deny, then ask your technician to try again.',
        ),
      );
      list.removeAttribute('aria-busy');
      return false;
    },
  );
  return { element: list, selected: () => selected, ready };
}

function sourceItem(source: CaptureSource, checked: boolean, onChange: () => void): HTMLElement {
  return h(
    'label',
    { class: 'source', dataset: { sourceId: source.id } },
    h('input', { type: 'radio', name: 'source', value: source.id, checked, on: { change: onChange } }),
    h('div', { class: 'thumb-placeholder' }, source.kind === 'screen' ? 'Screen' : 'Window'),
    h('span', { class: 'source-name' }, source.name),
  );
}

async function addThumbnails(api: PeerDeskHostApi, list: HTMLElement): Promise<void> {
  const withThumbnails = await api.listSources({ thumbnails: true }).catch(() => []); // the names are enough to choose
  for (const { id, thumbnail, icon } of withThumbnails) {
    const item = list.querySelector(`[data-source-id="${CSS.escape(id)}"]`);
    const placeholder = item?.querySelector('.thumb-placeholder');
    if (thumbnail && placeholder) placeholder.replaceWith(h('img', { src: thumbnail, alt: '' }));
    if (icon) item?.querySelector('.source-name')?.prepend(h('img', { class: 'app-icon', src: icon, alt: '' }));
  }
}
