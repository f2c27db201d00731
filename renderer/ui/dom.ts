/** The renderer's whole UI toolkit: create elements declaratively, replace a container's content. */
type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown> & { on?: Record<string, (e: Event) => void> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'on') for (const [event, fn] of Object.entries(value as Record<string, (e: Event) => void>)) el.addEventListener(event, fn);
    else if (key === 'class') el.className = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === false || value === undefined || value === null) continue;
    else if (key in el && typeof value !== 'string') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function mount(container: HTMLElement, ...children: Child[]): void {
  container.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}

/** Moves keyboard focus to the first control of a freshly shown screen. */
export function focusFirst(container: HTMLElement): void {
  container.querySelector<HTMLElement>('[autofocus], button, input')?.focus();
}
