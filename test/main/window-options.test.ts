import { describe, expect, it } from 'vitest';
import { hardenedWindowOptions } from '../../main/adapters/window-options';
import { SourceSelection } from '../../main/services/source-selection';

describe('Electron window hardening (checklist on the real options object)', () => {
  const prefs = hardenedWindowOptions('/app/preload.cjs').webPreferences!;
  it('isolates and sandboxes the renderer, with no Node and no webview', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });
});

describe('display-media binding: only the picked source is ever captured', () => {
  const sources = [
    { id: 'screen:0:0', name: 'Entire screen', kind: 'screen' as const },
    { id: 'window:42:0', name: 'Mail', kind: 'window' as const },
  ];
  it('answers nothing without a pick', () => {
    expect(new SourceSelection().take(sources)).toBeUndefined();
  });
  it('answers exactly the pick, once', () => {
    const s = new SourceSelection();
    s.pick('window:42:0', sources);
    expect(s.take(sources)?.id).toBe('window:42:0');
    expect(s.take(sources)).toBeUndefined();
  });
  it('refuses to pick a source that does not exist', () => {
    expect(() => new SourceSelection().pick('window:999:0', sources)).toThrow(/unknown source/);
  });
});
