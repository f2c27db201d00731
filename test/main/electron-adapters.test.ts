import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../../protocol/ipc-channels';
import { DEFAULT_SETTINGS } from '../../protocol/settings';
import { createAppWindow } from '../../main/adapters/app-window';
import { consentWindowPrompt, type ConsentWindowPrompt } from '../../main/adapters/consent-window';
import { CONTROL_PROMPT_INPUT_DELAY_MS } from '../../protocol/host-api';
import { answerDisplayMediaWithPick } from '../../main/adapters/display-media';
import { type IpcDeps, registerIpcHandlers } from '../../main/adapters/ipc-handlers';
import { bindRevokeHotkey, type ShortcutRegistry } from '../../main/adapters/revoke-hotkey';
import { StatusSurfaces } from '../../main/adapters/status-surfaces';
import { AuditLog } from '../../main/services/audit-log';
import { ClipboardService } from '../../main/services/clipboard-service';
import { ConsentService } from '../../main/services/consent-service';
import type { HostServices } from '../../main/services/host-services';
import { SourceSelection } from '../../main/services/source-selection';
import { BrowserWindow, desktopCapturer, FakeSession, fakeSender, invokeEvent, ipcMain, Tray } from '../support/electron-fake';

// The Electron binary cannot run here: adapters get a thin recording fake of the few Electron objects they use.
vi.mock('electron', () => import('../support/electron-fake'));

const APP = 'app://peerdesk';

beforeEach(() => {
  ipcMain.handlers.clear();
  ipcMain.listeners.clear();
  BrowserWindow.created.length = 0;
});

describe('every window is hardened', () => {
  for (const role of ['main', 'consent', 'indicator'] as const) {
    it(`${role}: isolated, sandboxed, no Node, no webview, no auxclick`, () => {
      const win = createAppWindow(role, '/app/preload.cjs') as unknown as BrowserWindow;
      const prefs = win.options.webPreferences as Record<string, unknown>;
      expect(prefs).toMatchObject({
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
      });
      expect(win.options.show).toBe(false);
      // Prompts and the indicator stay above full-screen apps; the main window is a normal window.
      expect(win.alwaysOnTop).toBe(role === 'main' ? undefined : 'screen-saver');
    });
  }
});

describe('display-media handler: only the picked source is ever captured', () => {
  const sources = [
    { id: 'screen:0:0', name: 'Entire screen' },
    { id: 'window:42:0', name: 'Mail' },
  ];
  function bound() {
    const session = new FakeSession();
    const selection = new SourceSelection();
    answerDisplayMediaWithPick(session as never, selection);
    const request = () => new Promise((resolve) => session.displayMediaHandler!({}, resolve));
    return { selection, request };
  }

  it('answers nothing without a pick', async () => {
    expect(await bound().request()).toEqual({});
  });

  it('answers exactly the pick, once', async () => {
    const { selection, request } = bound();
    selection.pick(
      'window:42:0',
      sources.map((s) => ({ ...s, kind: 'window' as const })),
    );
    expect(await request()).toEqual({ video: sources[1] });
    expect(await request()).toEqual({});
  });

  it('answers from the pick without enumerating the sources again (that grabs a thumbnail of every window first)', async () => {
    const { selection, request } = bound();
    desktopCapturer.sources = sources;
    desktopCapturer.calls.length = 0;
    selection.pick('screen:0:0', [{ ...sources[0], kind: 'screen' }]);
    expect(await request()).toEqual({ video: sources[0] });
    expect(desktopCapturer.calls).toEqual([]);
  });
});

describe('IPC: only the app’s own main frame may call the host API', () => {
  const main = fakeSender(`${APP}/index.html`);
  const indicator = fakeSender(`${APP}/index.html?window=indicator`);
  let calls: string[];
  let refused: string[];
  let clipboard: ClipboardService;
  function register(overrides: Partial<IpcDeps> = {}) {
    calls = [];
    refused = [];
    // The real service behind the IPC clipboard channels, over a recording system clipboard.
    clipboard = new ClipboardService(new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-ipc-')), 'audit.jsonl')), {
      readText: () => 'copied',
      writeText: (t: string) => void calls.push(`clipboard ${t}`),
    });
    const services = {
      clipboard,
      selectSource: (id: string) => calls.push(`select ${id}`),
      startControlSession: (name: string) => calls.push(`start ${name}`),
      revokeControl: () => calls.push('revoke'),
      endControlSession: () => calls.push('end'),
      controlMessage: async (raw: string) => void calls.push(`message ${raw}`),
    } as unknown as HostServices;
    const selection = new SourceSelection();
    selection.listedSources([{ id: 'screen:0:0', name: 'Entire screen', kind: 'screen' }]);
    registerIpcHandlers({
      trusted: () => main as never,
      indicator: () => indicator as never,
      appOrigin: APP,
      selection,
      services,
      signalingUrl: () => 'ws://127.0.0.1:8787/ws',
      settings: { get: () => DEFAULT_SETTINGS, save: (s) => s as never },
      platformNotices: () => [],
      lanViewerUrl: () => 'http://192.168.1.20:8787',
      onSharing: (s) => calls.push(`sharing ${JSON.stringify(s)}`),
      onStopRequest: () => calls.push('stop'),
      onRejected: (channel, reason) => refused.push(`${channel}: ${reason}`),
      consentPrompt: { onAnswer: (_e, raw) => calls.push(`answer ${String(raw)}`) },
      files: {
        begin: async (name: string, size: number) => (calls.push(`begin ${name} ${size}`), '00000000-0000-4000-8000-000000000000'),
        write: async (_t: string, b: Uint8Array) => void calls.push(`write ${b.byteLength}`),
        finish: async () => ({ ok: true as const, path: '/home/u/Downloads/a.txt', sha256: '' }),
        abort: async () => void calls.push('abort'),
        abortAll: async () => void calls.push('abort all'),
      },
      ...overrides,
    });
  }
  const invoke = (channel: string, event: unknown, ...args: unknown[]) => ipcMain.handlers.get(channel)!(event, ...args);
  const send = (channel: string, event: unknown, ...args: unknown[]) => ipcMain.listeners.get(channel)!(event, ...args);

  it('registers the control prompt’s answer channel with the rest, handing answers to the prompt', () => {
    register();
    send(IpcChannel.answerControlPrompt, invokeEvent(main), true);
    expect(calls).toEqual(['answer true']);
  });

  it('serves the main window', async () => {
    register();
    expect(await invoke(IpcChannel.signalingUrl, invokeEvent(main))).toBe('ws://127.0.0.1:8787/ws');
    await invoke(IpcChannel.selectSource, invokeEvent(main), 'screen:0:0');
    send(IpcChannel.controlMessage, invokeEvent(main), '{"t":"move","x":0.5,"y":0.5}');
    expect(calls).toEqual(['select screen:0:0', 'message {"t":"move","x":0.5,"y":0.5}']);
  });

  it('technician sign-in: the main window learns who signed in (never a credential); no other sender reaches it', async () => {
    const technician = { name: 'Test Technician', email: 'tech@example.com', issuer: 'idp.example', admin: false };
    register({
      technicianSignIn: {
        signIn: async () => (calls.push('sign in'), technician),
        signOut: () => void calls.push('sign out'),
        status: async () => ({ enabled: true, technician }),
      },
    });
    expect(await invoke(IpcChannel.technicianStatus, invokeEvent(main))).toEqual({ enabled: true, technician });
    expect(await invoke(IpcChannel.technicianSignIn, invokeEvent(main))).toEqual(technician);
    await invoke(IpcChannel.technicianSignOut, invokeEvent(main));
    expect(() => invoke(IpcChannel.technicianSignIn, invokeEvent(fakeSender('https://evil.example/')))).toThrow(/untrusted sender/);
    expect(calls).toEqual(['sign in', 'sign out']);
  });

  it('refuses another window, a sub-frame and a page from another origin', async () => {
    register();
    const foreign = fakeSender(`${APP}/index.html`);
    const elsewhere = fakeSender('https://evil.example/');
    for (const event of [
      invokeEvent(foreign),
      invokeEvent(main, { url: `${APP}/index.html` }),
      invokeEvent(elsewhere),
      invokeEvent(main, null),
    ]) {
      expect(() => invoke(IpcChannel.startControlSession, event, 'Mallory')).toThrow(/untrusted sender/);
      send(IpcChannel.controlMessage, event, '{"t":"move","x":0.5,"y":0.5}');
    }
    const otherOrigin = { ...main, mainFrame: { url: 'https://evil.example/' } };
    expect(() => invoke(IpcChannel.revokeControl, { sender: otherOrigin, senderFrame: otherOrigin.mainFrame })).toThrow(/untrusted/);
    expect(calls).toEqual([]);
    // Nobody awaits a fire-and-forget message: each refusal is reported, with its reason, for the log.
    expect(refused).toEqual(Array(4).fill(`${IpcChannel.controlMessage}: untrusted sender`));
  });

  it('received files: only the main window, a real token, a byte array under 1 MiB, a SHA-256 in hex', async () => {
    register();
    const token = '00000000-0000-4000-8000-000000000000';
    expect(() => invoke(IpcChannel.saveFileBegin, invokeEvent(fakeSender(`${APP}/index.html`)), 'a.txt', 3)).toThrow(/untrusted sender/);
    await expect(invoke(IpcChannel.saveFileBegin, invokeEvent(main), 'a.txt', -1)).rejects.toThrow();
    expect(await invoke(IpcChannel.saveFileBegin, invokeEvent(main), 'a.txt', 3)).toBe(token);
    await expect(invoke(IpcChannel.saveFileChunk, invokeEvent(main), '../../etc', new Uint8Array(3))).rejects.toThrow();
    await expect(invoke(IpcChannel.saveFileChunk, invokeEvent(main), token, 'not bytes')).rejects.toThrow();
    await expect(invoke(IpcChannel.saveFileChunk, invokeEvent(main), token, new Uint8Array(1024 * 1024 + 1))).rejects.toThrow(/too large/);
    await invoke(IpcChannel.saveFileChunk, invokeEvent(main), token, new Uint8Array(3));
    await expect(invoke(IpcChannel.saveFileFinish, invokeEvent(main), token, 'not-a-hash')).rejects.toThrow();
    expect(await invoke(IpcChannel.saveFileFinish, invokeEvent(main), token, 'a'.repeat(64))).toEqual({
      ok: true,
      path: '/home/u/Downloads/a.txt',
    });
    await invoke(IpcChannel.endControlSession, invokeEvent(main));
    expect(calls).toEqual(['begin a.txt 3', 'write 3', 'end', 'abort all']);
  });

  it('clipboard: refused with its code until the host turns sharing on for the session; only the main window turns it', async () => {
    register();
    clipboard.beginSession('Tina');
    await expect(invoke(IpcChannel.writeClipboard, invokeEvent(main), 'rm -rf ~')).rejects.toThrow('CLIPBOARD_ERR_OFF');
    await expect(invoke(IpcChannel.readClipboard, invokeEvent(main))).rejects.toThrow('CLIPBOARD_ERR_OFF');
    expect(() => invoke(IpcChannel.setClipboardSharing, invokeEvent(fakeSender(`${APP}/index.html`)), true)).toThrow(/untrusted/);
    await expect(invoke(IpcChannel.setClipboardSharing, invokeEvent(main), 'yes')).rejects.toThrow();
    await invoke(IpcChannel.setClipboardSharing, invokeEvent(main), true);
    await invoke(IpcChannel.writeClipboard, invokeEvent(main), 'net stop spooler');
    expect(await invoke(IpcChannel.readClipboard, invokeEvent(main))).toBe('copied');
    expect(calls).toEqual(['clipboard net stop spooler']);
    expect(clipboard.refused.get('CLIPBOARD_ERR_OFF')).toBe(2);
  });

  it('validates arguments with the protocol schemas', async () => {
    register();
    await expect(invoke(IpcChannel.selectSource, invokeEvent(main), 'window:999:0')).rejects.toThrow(/unknown source/);
    expect(() => invoke(IpcChannel.startControlSession, invokeEvent(main), 'x'.repeat(500))).toThrow();
    send(IpcChannel.controlMessage, invokeEvent(main), { t: 'move' });
    send(IpcChannel.reportSharing, invokeEvent(main), { viewer: 'Tina', source: 'Entire screen', extra: 1 });
    expect(calls).toEqual([]);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(new RegExp(`^${IpcChannel.controlMessage}: .+`));
    expect(refused[1]).toMatch(new RegExp(`^${IpcChannel.reportSharing}: .+`));
  });

  it('annotation overlay: the main window’s valid marks reach the overlay; a bad message or another sender never does', async () => {
    const overlay = {
      message: (m: unknown) => void calls.push(`overlay ${JSON.stringify(m)}`),
      sourceSelected: (id: string) => void calls.push(`overlay source ${id}`),
      sessionEnded: () => void calls.push('overlay end'),
    };
    register({ overlay });
    const mark = {
      t: 'mark',
      id: 1,
      shape: { kind: 'rect', from: { x: 0.1, y: 0.1 }, to: { x: 0.5, y: 0.5 } },
      color: 'red',
      pinned: false,
    };
    for (const event of [
      invokeEvent(fakeSender(`${APP}/index.html`)),
      invokeEvent(fakeSender('https://evil.example/')),
      invokeEvent(indicator),
    ])
      send(IpcChannel.annotationOverlay, event, mark);
    for (const bad of [
      { ...mark, color: 'black' },
      { ...mark, shape: { kind: 'rect', from: { x: 0, y: 0 }, to: { x: 2, y: 0.5 } } },
      { t: 'mark', id: 2, shape: { kind: 'text', at: { x: 0.5, y: 0.5 }, text: '<img src=x>' }, color: 'red', pinned: false },
      { t: 'off', extra: 1 },
      { t: 'annotations.state', enabled: true },
      '{"t":"off"}',
    ])
      send(IpcChannel.annotationOverlay, invokeEvent(main), bad);
    expect(calls).toEqual([]);
    expect(refused.slice(0, 3)).toEqual(Array(3).fill(`${IpcChannel.annotationOverlay}: untrusted sender`));
    expect(refused).toHaveLength(9);
    send(IpcChannel.annotationOverlay, invokeEvent(main), mark);
    send(IpcChannel.annotationOverlay, invokeEvent(main), { t: 'laser', x: 1, y: 0, color: 'blue' });
    send(IpcChannel.annotationOverlay, invokeEvent(main), { t: 'off' });
    await invoke(IpcChannel.selectSource, invokeEvent(main), 'screen:0:0');
    await invoke(IpcChannel.endControlSession, invokeEvent(main));
    expect(calls).toEqual([
      `overlay ${JSON.stringify(mark)}`,
      'overlay {"t":"laser","x":1,"y":0,"color":"blue"}',
      'overlay {"t":"off"}',
      'select screen:0:0',
      'overlay source screen:0:0',
      'end',
      'overlay end',
      'abort all',
    ]);
  });

  it('takes the sharing status from the main window only, and Stop from the indicator only', () => {
    register();
    send(IpcChannel.reportSharing, invokeEvent(indicator), { viewer: 'Tina', source: 'Mail' });
    send(IpcChannel.requestStop, invokeEvent(main));
    expect(calls).toEqual([]);
    send(IpcChannel.reportSharing, invokeEvent(main), { viewer: 'Tina', source: 'Mail' });
    send(IpcChannel.requestStop, invokeEvent(indicator));
    expect(calls).toEqual(['sharing {"viewer":"Tina","source":"Mail"}', 'stop']);
  });
});

describe('consent window', () => {
  let clock = 0;
  let answers: boolean[];
  let windows: BrowserWindow[];
  let refusals: string[];
  let current: ConsentWindowPrompt;
  function prompt() {
    answers = [];
    windows = [];
    refusals = [];
    return (current = consentWindowPrompt({
      open: () => {
        const win = new BrowserWindow({});
        Object.assign(win.webContents, { mainFrame: { url: `${APP}/index.html?window=consent` } });
        windows.push(win);
        return win as never;
      },
      appOrigin: APP,
      answer: (allow) => answers.push(allow),
      rejected: (reason) => refusals.push(reason),
      now: () => clock,
    }));
  }
  const answer = (win: BrowserWindow, value: unknown) => current.onAnswer(invokeEvent(win.webContents as never) as never, value, undefined);
  afterEach(() => (clock = 0));

  it('ignores Allow for the first moment after it is shown, then takes it and closes', () => {
    const p = prompt();
    p.ask('Tina');
    const win = windows[0]!;
    win.show();
    clock += CONTROL_PROMPT_INPUT_DELAY_MS - 1;
    answer(win, true);
    expect(answers).toEqual([]);
    expect(refusals).toEqual(['Allow within the input delay']);
    expect(win.isDestroyed()).toBe(false);
    clock += 1;
    answer(win, true);
    expect(answers).toEqual([true]);
    expect(win.isDestroyed()).toBe(true);
  });

  it('takes Deny at once; closing the window denies; a non-boolean or another window changes nothing', () => {
    const p = prompt();
    p.ask('Tina');
    answer(windows[0]!, 'yes');
    answer(new BrowserWindow({}), false);
    expect(answers).toEqual([]);
    expect(refusals).toEqual(['the answer is not a boolean', 'untrusted sender']);
    answer(windows[0]!, false);
    expect(answers).toEqual([false]);
    p.ask('Tina');
    windows[1]!.close();
    expect(answers).toEqual([false, false]);
  });

  it('closes without an answer when dismissed (revoked or session ended meanwhile)', () => {
    const p = prompt();
    p.ask('Tina');
    p.dismiss();
    expect(windows[0]!.isDestroyed()).toBe(true);
    expect(answers).toEqual([]);
  });
});

describe('tray and indicator follow the host’s status', () => {
  it('shows the indicator only while sharing, and offers Stop / Take back control only when they act', () => {
    const actions = { show: vi.fn(), stop: vi.fn(), revoke: vi.fn(), quit: vi.fn() };
    const surfaces = new StatusSurfaces({
      trayIconPath: '/app/tray.png',
      createIndicator: () => createAppWindow('indicator', '/p') as never,
      appUrl: (q) => `${APP}/index.html?${q}`,
      actions,
    });
    const tray = (surfaces as unknown as { tray: Tray }).tray;
    const items = () => tray.menu!.template.map((i) => `${i.label}${i.enabled ? '' : ' (off)'}`);
    expect(tray.tooltip).toBe('PeerDesk — not sharing');
    expect(items()).toEqual(['Open PeerDesk', 'Stop sharing (off)', 'Take back control (off)', 'Quit PeerDesk']);
    expect(BrowserWindow.getAllWindows()).toHaveLength(0);

    surfaces.update({ sharing: { viewer: 'Tina', source: 'Entire screen' }, control: 'granted' });
    expect(tray.tooltip).toBe('PeerDesk — Tina (not verified) is controlling this computer');
    expect(items()).toEqual(['Open PeerDesk', 'Stop sharing', 'Take back control', 'Quit PeerDesk']);
    const [indicator] = BrowserWindow.getAllWindows();
    expect(indicator!.alwaysOnTop).toBe('screen-saver');
    expect(indicator!.loadedUrl).toContain('window=indicator&viewer=Tina&source=Entire+screen&control=granted');
    (tray.menu!.template[2]!.click as () => void)();
    expect(actions.revoke).toHaveBeenCalledOnce();

    surfaces.update({ sharing: null, control: 'none' });
    expect(BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(surfaces.indicatorContents).toBeUndefined();
  });
});

describe('revoke hotkey wired to ConsentService', () => {
  it('is registered only while granted, and pressing it revokes before anything else', () => {
    const registered = new Map<string, () => void>();
    const registry: ShortcutRegistry = {
      register: (a, cb) => (registered.set(a, cb), true),
      unregister: (a) => void registered.delete(a),
      isRegistered: (a) => registered.has(a),
    };
    const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'peerdesk-hotkey-')), 'audit.jsonl'));
    const consent = new ConsentService(audit, { ask: () => undefined, dismiss: () => undefined });
    bindRevokeHotkey(
      registry,
      (l) => consent.onChange(l),
      () => consent.revoke('hotkey'),
      'Control+Alt+Shift+K',
    );
    consent.beginSession('Tina', 'screen:0:0');
    consent.request();
    expect(registered.size).toBe(0);
    consent.grant();
    expect([...registered.keys()]).toEqual(['Control+Alt+Shift+K']);
    registered.get('Control+Alt+Shift+K')!();
    expect(consent.current).toBe('revoked');
    expect(consent.allows('Tina', 'screen:0:0')).toBe(false);
    expect(registered.size).toBe(0);
  });
});
