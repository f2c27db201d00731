/**
 * A thin, recording stand-in for the few Electron objects the adapters in main/adapters
 * touch. The Electron binary cannot run here; tests load it with
 * `vi.mock('electron', () => import('../support/electron-fake'))` and check what an
 * adapter asked Electron to do. Nothing behind the adapters is faked.
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  readonly listeners = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  on(channel: string, listener: Handler): void {
    this.listeners.set(channel, listener);
  }
}
export const ipcMain = new FakeIpcMain();

/** A WebContents with one main frame at `url`; `frame` lets a test pretend to be a sub-frame. */
export function fakeSender(url: string) {
  const mainFrame = { url };
  return { mainFrame, send: (..._args: unknown[]) => undefined };
}
export const invokeEvent = (sender: ReturnType<typeof fakeSender>, frame: { url: string } | null = sender.mainFrame) => ({
  sender,
  senderFrame: frame,
});

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = Object.assign(new EventEmitter(), { send: (...args: unknown[]) => void this.sent.push(args) });
  loadedUrl?: string;
  alwaysOnTop?: string;
  visible = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((w) => !w.destroyed);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  setAlwaysOnTop(_flag: boolean, level: string): void {
    this.alwaysOnTop = level;
  }
  ignoreMouseEvents = false;
  bounds?: { x: number; y: number; width: number; height: number };
  readonly sent: unknown[][] = [];
  setIgnoreMouseEvents(ignore: boolean): void {
    this.ignoreMouseEvents = ignore;
  }
  setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = bounds;
  }
  hide(): void {
    this.visible = false;
  }
  destroy(): void {
    this.close();
  }
  /** What getNativeWindowHandle gives (X11: the XID, little-endian); a test may set it to a real window's. */
  nativeHandle = Buffer.alloc(8);
  getNativeWindowHandle(): Buffer {
    return this.nativeHandle;
  }
  showInactive(): void {
    this.visible = true;
    this.emit('show');
  }
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const desktopCapturer = {
  sources: [] as Array<{ id: string; name: string }>,
  /** What each enumeration asked for: a test can tell a slow one (thumbnails) from none at all. */
  calls: [] as unknown[],
  async getSources(options: unknown) {
    this.calls.push(options);
    return this.sources;
  },
};

export class FakeSession {
  displayMediaHandler?: (request: unknown, callback: (streams: unknown) => void) => unknown;
  /** `webRequest.onBeforeSendHeaders`: the filter and listener an adapter registered. */
  beforeSendHeaders?: {
    filter: { urls: string[] };
    listener: (details: { url: string; method?: string; requestHeaders: Record<string, string> }, callback: (r: unknown) => void) => void;
  };
  readonly webRequest = {
    onBeforeSendHeaders: (filter: { urls: string[] }, listener: NonNullable<FakeSession['beforeSendHeaders']>['listener']) =>
      void (this.beforeSendHeaders = { filter, listener }),
  };
  setDisplayMediaRequestHandler(handler: NonNullable<FakeSession['displayMediaHandler']>): void {
    this.displayMediaHandler = handler;
  }
}

export class Menu {
  constructor(readonly template: Array<Record<string, unknown>>) {}
  static buildFromTemplate(template: Array<Record<string, unknown>>): Menu {
    return new Menu(template);
  }
}

export class Tray extends EventEmitter {
  tooltip = '';
  menu?: Menu;
  constructor(readonly image: unknown) {
    super();
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu): void {
    this.menu = menu;
  }
  destroy(): void {}
}

export const nativeImage = { createFromPath: (path: string) => ({ path }) };

/** `shell.openExternal`: records the URLs an adapter opened in the system browser. */
export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};
