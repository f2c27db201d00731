import { h } from '../ui/dom';

type KeyboardLock = { lock?: () => Promise<void>; unlock?: () => void };

/**
 * Fullscreen for the viewer (a button, or a double-click on the toolbar), with the keyboard locked while it lasts,
 * so Escape, Alt+Tab and the like reach the remote computer instead of the technician's own. Holding Escape still
 * leaves fullscreen (the browser's rule).
 */
export function fullscreenToggle(target: HTMLElement, toolbar: HTMLElement): { button: HTMLButtonElement; dispose: () => void } {
  const keyboard = (navigator as Navigator & { keyboard?: KeyboardLock }).keyboard;
  const toggle = () => (document.fullscreenElement ? document.exitFullscreen() : target.requestFullscreen()).catch(() => undefined);
  const button = h('button', { class: 'secondary', id: 'toggle-fullscreen', on: { click: () => void toggle() } }, 'Fullscreen');
  const onDoubleClick = (e: MouseEvent) => (e.target as HTMLElement).closest('button, select, details') || void toggle();
  toolbar.addEventListener('dblclick', onDoubleClick);
  const onChange = () => {
    const on = document.fullscreenElement === target;
    button.textContent = on ? 'Exit fullscreen' : 'Fullscreen';
    document.body.dataset.fullscreen = String(on);
    if (!on) {
      keyboard?.unlock?.();
      document.body.dataset.keyboardLock = 'off';
      return;
    }
    keyboard?.lock?.().then(
      () => (document.body.dataset.keyboardLock = 'on'),
      () => (document.body.dataset.keyboardLock = 'unavailable'),
    );
  };
  document.addEventListener('fullscreenchange', onChange);
  return {
    button,
    dispose: () => {
      document.removeEventListener('fullscreenchange', onChange);
      toolbar.removeEventListener('dblclick', onDoubleClick);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    },
  };
}
