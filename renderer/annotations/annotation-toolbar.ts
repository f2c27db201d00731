import { ANNOTATION_COLORS, type AnnotationColor, COLOR_HEX, MAX_LABEL_CHARS } from '../../protocol/annotation-messages';
import { h } from '../ui/dom';

export type Tool = 'none' | 'laser' | 'arrow' | 'rect' | 'freehand' | 'text';

const TOOLS: Array<{ tool: Exclude<Tool, 'none'>; label: string; title: string }> = [
  { tool: 'laser', label: 'Point', title: 'A laser dot follows your cursor on their screen' },
  { tool: 'arrow', label: 'Arrow', title: 'Drag to draw an arrow' },
  { tool: 'rect', label: 'Box', title: 'Drag to draw a rectangle' },
  { tool: 'freehand', label: 'Draw', title: 'Drag to draw freehand' },
  { tool: 'text', label: 'Text', title: 'Type a label, then click where it goes' },
];
const COLOR_NAMES: Record<AnnotationColor, string> = { red: 'Red', yellow: 'Yellow', green: 'Green', blue: 'Blue' };

export interface ToolbarState {
  tool: Tool;
  color: AnnotationColor;
  pinned: boolean;
}

/**
 * The technician's small row of tools over the video: one tool at a time (pressing it again puts it down, so the
 * pointer goes back to remote control), a colour from the fixed palette, Pin (marks stay until cleared) and Clear.
 */
export class AnnotationToolbar {
  readonly state: ToolbarState = { tool: 'none', color: 'red', pinned: false };
  readonly label = h('input', {
    type: 'text',
    id: 'annotation-label',
    class: 'annotation-label',
    maxLength: MAX_LABEL_CHARS,
    placeholder: 'Label text',
    'aria-label': 'Label text',
    hidden: true,
  });
  private readonly note = h('span', { class: 'annotations-note', id: 'annotations-note', hidden: true }, 'They turned marks off');
  private readonly toolButtons = new Map<Tool, HTMLButtonElement>();
  private readonly pin = h(
    'button',
    { class: 'secondary', id: 'annotate-pin', 'aria-pressed': 'false', title: 'Marks stay until you clear them' },
    'Pin',
  );
  private readonly clear = h('button', { class: 'secondary', id: 'annotate-clear' }, 'Clear');
  readonly element: HTMLElement;

  constructor(
    private readonly onChange: (state: ToolbarState) => void,
    onClear: () => void,
  ) {
    for (const { tool, label, title } of TOOLS) {
      const button = h('button', { class: 'secondary tool', id: `annotate-${tool}`, 'aria-pressed': 'false', title }, label);
      button.addEventListener('click', () => this.pick(this.state.tool === tool ? 'none' : tool));
      this.toolButtons.set(tool, button);
    }
    const swatches = ANNOTATION_COLORS.map((color) => {
      const swatch = h('button', {
        class: 'swatch',
        id: `annotate-color-${color}`,
        title: COLOR_NAMES[color],
        'aria-label': COLOR_NAMES[color],
        'aria-pressed': String(color === this.state.color),
        dataset: { color },
      });
      swatch.style.background = COLOR_HEX[color];
      swatch.addEventListener('click', () => {
        this.state.color = color;
        swatches.forEach((s) => s.setAttribute('aria-pressed', String(s === swatch)));
        this.onChange(this.state);
      });
      return swatch;
    });
    this.pin.addEventListener('click', () => {
      this.state.pinned = !this.state.pinned;
      this.pin.setAttribute('aria-pressed', String(this.state.pinned));
      this.onChange(this.state);
    });
    this.clear.addEventListener('click', onClear);
    this.element = h(
      'nav',
      { class: 'annotation-tools', id: 'annotation-tools', 'aria-label': 'Point and draw' },
      h('span', { class: 'annotation-title' }, 'Show them:'),
      ...this.toolButtons.values(),
      this.label,
      h('span', { class: 'swatches', role: 'group', 'aria-label': 'Colour' }, ...swatches),
      this.pin,
      this.clear,
      this.note,
    );
  }

  pick(tool: Tool): void {
    this.state.tool = tool;
    for (const [t, b] of this.toolButtons) b.setAttribute('aria-pressed', String(t === tool));
    this.label.hidden = tool !== 'text';
    if (tool === 'text') this.label.focus();
    this.onChange(this.state);
  }

  /** The person turned marks off (or on again): the tools rest meanwhile. */
  setAllowed(allowed: boolean): void {
    this.note.hidden = allowed;
    for (const b of [...this.toolButtons.values(), this.pin, this.clear]) b.disabled = !allowed;
    if (!allowed) this.pick('none');
  }
}
