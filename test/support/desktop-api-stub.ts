/**
 * Stands in for the desktop app's preload API on pages that Chromium renders: the
 * consent window, the indicator and the settings screen call it, and every call is
 * recorded in `window.__calls` for the test to read. A string: init scripts run
 * before the page's CSP applies, and a test-compiled function would carry helpers.
 */
export const DESKTOP_API_STUB = `{
  window.__calls = [];
  const record = (name) => (...args) => { window.__calls.push([name, ...args]); };
  let settings = { signalingUrl: '', displayName: 'Tina from IT', revokeHotkey: 'Control+Alt+Shift+X', lanPort: 8787, downloadFolder: '', maxFileMiB: 2048, onlyVerified: false, verifiedDomains: '' };
  window.peerdesk = {
    version: 1,
    listSources: async () => [],
    selectSource: async () => undefined,
    signalingUrl: async () => location.origin.replace(/^http/, 'ws') + '/ws',
    startControlSession: async () => undefined,
    controlMessage: async () => undefined,
    revokeControl: async () => undefined,
    endControlSession: async () => undefined,
    onControlState: () => () => undefined,
    answerControlPrompt: record('answer'),
    requestStop: record('stop'),
    settings: async () => settings,
    saveSettings: async (next) => { window.__calls.push(['save', next]); settings = next; return next; },
    platformNotices: async () => [{ id: 'linux-wayland', severity: 'warning', title: 'You are in a Wayland session', body: 'Sharing works through the system dialog.' }],
    lanViewerUrl: async () => 'http://192.168.1.20:8787',
  };
}`;
