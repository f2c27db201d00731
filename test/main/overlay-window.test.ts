import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOverlayWindow, OVERLAY_CHANNEL } from '../../main/adapters/overlay-window';
import { TOPMOST_LEVEL } from '../../main/adapters/window-options';
import { X11Connection } from '../../main/services/input/x11-connection';
import { X11WindowSystem } from '../../main/services/input/x11-window-system';
import { AnnotationOverlay } from '../../main/services/overlay/annotation-overlay';
import { OverlaySession } from '../../main/services/overlay/overlay-session';
import { x11WindowShown } from '../../main/services/overlay/x11-window-shown';
import { x11WindowsAbove } from '../../main/services/overlay/x11-windows-above';
import { BrowserWindow } from '../support/electron-fake';
import { XApp } from '../support/x-app';

// The Electron binary cannot run here: the adapter gets the recording fake; the shared window is a real X window.
vi.mock('electron', () => import('../support/electron-fake'));

let x11: X11Connection;
let shared: XApp;
beforeAll(async () => {
  x11 = await X11Connection.connect();
  shared = await XApp.start('color_window.py', { title: 'Shared app', color: '#336699', geometry: '320x200+40+60' });
});
afterAll(async () => {
  await shared.stop();
  x11.close();
});
beforeEach(() => {
  BrowserWindow.created.length = 0;
});

const overlayFor = () =>
  new AnnotationOverlay({
    create: () => createOverlayWindow('/app/preload.cjs', 'app://peerdesk/index.html?window=overlay'),
    windowBounds: (id) => new X11WindowSystem(x11).windowBounds(id),
    windowShown: x11WindowShown(x11),
    windowsAbove: x11WindowsAbove(x11),
    followMs: 20,
  });
const onlyWindow = () => {
  expect(BrowserWindow.created).toHaveLength(1);
  return BrowserWindow.created[0]!;
};
const xdotool = (...args: string[]) => execFileSync('xdotool', args);

describe('the desktop overlay for marks', () => {
  it('is see-through, click-through, always on top and never focusable, shown without activation', async () => {
    const overlay = overlayFor();
    await overlay.start({ kind: 'screen', bounds: { x: 0, y: 0, width: 1280, height: 800 }, scaleFactor: 1 });
    const win = onlyWindow();
    expect(win.options).toMatchObject({
      transparent: true,
      frame: false,
      focusable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      show: false,
    });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.ignoreMouseEvents).toBe(true);
    expect(win.alwaysOnTop).toBe(TOPMOST_LEVEL);
    expect(win.loadedUrl).toBe('app://peerdesk/index.html?window=overlay');
    expect(win.visible).toBe(true);
    expect(win.bounds).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
    overlay.draw({ t: 'laser', x: 0.5, y: 0.5, color: 'red' });
    expect(win.sent.at(-1)).toEqual([OVERLAY_CHANNEL, { t: 'laser', x: 0.5, y: 0.5, color: 'red' }]);
    overlay.stop();
    expect(win.destroyed).toBe(true);
  });

  it('covers a screen of another scale in logical pixels', async () => {
    const overlay = overlayFor();
    await overlay.start({ kind: 'screen', bounds: { x: 2560, y: 0, width: 2880, height: 1800 }, scaleFactor: 2 });
    expect(onlyWindow().bounds).toEqual({ x: 1280, y: 0, width: 1440, height: 900 });
    overlay.stop();
  });

  it('follows a shared window as it moves and resizes, hides while it is unmapped, and goes with the session', async () => {
    const overlay = overlayFor();
    await overlay.start({ kind: 'window', windowId: shared.windowId, scaleFactor: 1 });
    const win = onlyWindow();
    expect(win.bounds).toEqual({ x: 40, y: 60, width: 320, height: 200 });
    expect(win.visible).toBe(true);
    await shared.command('geometry 500x300+300+150');
    await vi.waitFor(() => expect(win.bounds).toEqual({ x: 300, y: 150, width: 500, height: 300 }), { timeout: 5000, interval: 20 });
    // Minimised windows are unmapped: the marks hide with them and come back when the window does.
    xdotool('windowunmap', '--sync', shared.windowId);
    await vi.waitFor(() => expect(win.visible).toBe(false), { timeout: 5000, interval: 20 });
    xdotool('windowmap', '--sync', shared.windowId);
    await vi.waitFor(() => expect(win.visible).toBe(true), { timeout: 5000, interval: 20 });
    overlay.stop();
    expect(win.destroyed).toBe(true);
    const placed = win.bounds;
    await shared.command('geometry 320x200+40+60');
    // Stopped means stopped: nothing follows any more (one more X round trip, then the bounds are unchanged).
    await x11.sync();
    expect(win.bounds).toEqual(placed);
  });
});

describe('the overlay over a covered window', () => {
  it('hides while another window covers most of the shared one, not for a corner, not for the overlay itself', async () => {
    const overlay = overlayFor();
    await overlay.start({ kind: 'window', windowId: shared.windowId, scaleFactor: 1 });
    const win = onlyWindow();
    expect(win.visible).toBe(true);
    // Another app opens on top of the shared window (a newly mapped window is stacked above the others).
    const cover = await XApp.start('color_window.py', { title: 'Other app', color: '#aa3300', geometry: '400x300+20+40' });
    try {
      await vi.waitFor(() => expect(win.visible).toBe(false), { timeout: 5000, interval: 20 });
      // The shared window comes to the front again: the marks come back.
      await shared.command('raise');
      await vi.waitFor(() => expect(win.visible).toBe(true), { timeout: 5000, interval: 20 });
      await cover.command('raise');
      await vi.waitFor(() => expect(win.visible).toBe(false), { timeout: 5000, interval: 20 });
      // Moved off to a corner of it (a small part covered): shown.
      await cover.command('geometry 100x80+300+200');
      await vi.waitFor(() => expect(win.visible).toBe(true), { timeout: 5000, interval: 20 });
      // The overlay's own window is above the shared one by design: never taken for a cover.
      await cover.command('geometry 400x300+20+40');
      await vi.waitFor(() => expect(win.visible).toBe(false), { timeout: 5000, interval: 20 });
      win.nativeHandle.writeUInt32LE(Number(cover.windowId), 0);
      await vi.waitFor(() => expect(win.visible).toBe(true), { timeout: 5000, interval: 20 });
    } finally {
      overlay.stop();
      await cover.stop();
    }
  });
});

describe('the overlay in the session (main’s wiring)', () => {
  const screens: Record<string, { x: number; y: number; width: number; height: number }> = {
    'screen:1:0': { x: 0, y: 0, width: 1280, height: 800 },
    'screen:2:0': { x: 1280, y: 0, width: 1920, height: 1080 },
  };
  const sessionFor = () =>
    new OverlaySession({
      overlay: overlayFor(),
      surfaceFor: (id) => (screens[id] ? { kind: 'screen', bounds: screens[id], scaleFactor: 1 } : undefined),
    });
  const laser = { t: 'laser', x: 0.5, y: 0.5, color: 'red' } as const;

  it('lays no window until a mark comes, follows a source switch, goes on off and at the session’s end', async () => {
    const session = sessionFor();
    session.sourceSelected('screen:1:0');
    expect(BrowserWindow.created).toHaveLength(0);
    session.message(laser);
    const win = onlyWindow();
    await vi.waitFor(() => expect(win.bounds).toEqual(screens['screen:1:0']));
    expect(win.sent.map(([, m]) => m)).toEqual([{ t: 'off' }, laser]);
    // A switch: the overlay moves, and the marks placed on the old picture go.
    session.sourceSelected('screen:2:0');
    await vi.waitFor(() => expect(win.bounds).toEqual(screens['screen:2:0']));
    expect(win.sent.at(-1)).toEqual([OVERLAY_CHANNEL, { t: 'off' }]);
    session.message({ t: 'off' });
    expect(win.destroyed).toBe(true);
    session.message(laser);
    expect(BrowserWindow.created).toHaveLength(2);
    session.sessionEnded();
    expect(BrowserWindow.created[1]!.destroyed).toBe(true);
  });

  it('lays nothing over a source it cannot place', () => {
    const session = sessionFor();
    session.message(laser);
    session.sourceSelected('window:notanumber:0');
    session.message(laser);
    expect(BrowserWindow.created).toHaveLength(0);
  });
});
