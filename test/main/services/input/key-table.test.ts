import { describe, expect, it } from 'vitest';
import { mapKey } from '../../../../main/services/input/key-table';

const none = { ctrl: false, alt: false, shift: false, meta: false };
const ctrl = { ...none, ctrl: true };

describe('KeyboardEvent.code/key → robotjs', () => {
  it.each([
    ['Enter', 'Enter', 'enter'],
    ['NumpadEnter', 'Enter', 'enter'],
    ['Tab', 'Tab', 'tab'],
    ['Escape', 'Escape', 'escape'],
    ['Backspace', 'Backspace', 'backspace'],
    ['Delete', 'Delete', 'delete'],
    ['Home', 'Home', 'home'],
    ['End', 'End', 'end'],
    ['PageUp', 'PageUp', 'pageup'],
    ['PageDown', 'PageDown', 'pagedown'],
    ['ArrowUp', 'ArrowUp', 'up'],
    ['ArrowDown', 'ArrowDown', 'down'],
    ['ArrowLeft', 'ArrowLeft', 'left'],
    ['ArrowRight', 'ArrowRight', 'right'],
    ['F1', 'F1', 'f1'],
    ['F12', 'F12', 'f12'],
    ['Space', ' ', 'space'],
  ])('%s → %s', (code, key, name) => {
    expect(mapKey(code, key, none)).toEqual({ kind: 'key', name, mods: [] });
  });

  it('types printable characters as text, whatever the physical key (layout independent)', () => {
    expect(mapKey('KeyQ', 'a', none)).toEqual({ kind: 'text', text: 'a' }); // AZERTY
    expect(mapKey('KeyA', 'A', { ...none, shift: true })).toEqual({ kind: 'text', text: 'A' });
    expect(mapKey('BracketLeft', 'ü', none)).toEqual({ kind: 'text', text: 'ü' });
    expect(mapKey('Digit1', '!', { ...none, shift: true })).toEqual({ kind: 'text', text: '!' });
    expect(mapKey('KeyE', '€', { ...none, alt: false })).toEqual({ kind: 'text', text: '€' });
  });

  it('maps shortcuts by physical key with their modifiers', () => {
    expect(mapKey('KeyA', 'a', ctrl)).toEqual({ kind: 'key', name: 'a', mods: ['control'] });
    expect(mapKey('KeyC', 'c', { ctrl: true, alt: false, shift: true, meta: false })).toEqual({
      kind: 'key',
      name: 'c',
      mods: ['control', 'shift'],
    });
    expect(mapKey('Digit5', '5', { ...none, alt: true })).toEqual({ kind: 'key', name: '5', mods: ['alt'] });
    expect(mapKey('KeyV', 'v', { ...none, meta: true })).toEqual({ kind: 'key', name: 'v', mods: ['command'] });
    expect(mapKey('ArrowRight', 'ArrowRight', { ...none, shift: true })).toEqual({ kind: 'key', name: 'right', mods: ['shift'] });
    expect(mapKey('Tab', 'Tab', { ...none, alt: true })).toEqual({ kind: 'key', name: 'tab', mods: ['alt'] });
  });

  it('sends modifiers only as state, never as presses of their own', () => {
    for (const [code, key] of [
      ['ShiftLeft', 'Shift'],
      ['ControlRight', 'Control'],
      ['AltLeft', 'Alt'],
      ['MetaLeft', 'Meta'],
      ['CapsLock', 'CapsLock'],
    ]) {
      expect(mapKey(code, key, none)).toEqual({ kind: 'ignore', reason: 'modifier' });
    }
  });

  it('refuses keys that act on the host session and unknown non-text keys', () => {
    expect(mapKey('Power', 'Power', none).kind).toBe('ignore');
    expect(mapKey('Sleep', 'Sleep', none).kind).toBe('ignore');
    expect(mapKey('', 'Unidentified', none)).toEqual({ kind: 'ignore', reason: 'unmapped' });
    expect(mapKey('F13', 'F13', none)).toEqual({ kind: 'ignore', reason: 'unmapped' });
  });
});
