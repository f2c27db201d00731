import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import type { CaptureSource } from '../../protocol/host-api';
import { verifiedIdentitySchema } from '../../protocol/signaling-messages';
import { FileSaveService } from '../../main/services/files/file-save-service';
import { HostServices } from '../../main/services/host-services';
import { DEFAULT_MAX_FILE_BYTES } from '../../protocol/toolkit-messages';
import type { Rect } from '../../main/services/input/surface';
import { RobotInjector } from '../../main/services/input/robot-injector';
import { X11Connection } from '../../main/services/input/x11-connection';
import { X11UnicodeTyper } from '../../main/services/input/x11-unicode-typer';
import { xThumbnail } from './x-thumbnail';
import { X11WindowSystem } from '../../main/services/input/x11-window-system';
import { startSignalingServer, type RunningSignalingServer, type StartOptions } from '../../signaling/server';
import { launchChromium, type LaunchOptions } from './browser';
import { CAPTURE_COUNTER, hostApiScript, PEER_INSTRUMENTATION } from './page-scripts';
import { TestPrompt } from './test-prompt';
import { TimedInjector } from './timed-injector';
import { XApp } from './x-app';
import { startXvfb, type Xvfb } from './xvfb';
import { heldButtons } from './x-state';

/** Milliseconds on the clock every process and page of the run shares (performance.timeOrigin + now). */
const wallClock = () => performance.timeOrigin + performance.now();

/**
 * The run shares one X server: a pointer button an earlier file left down (a test that pressed one itself, say)
 * would swallow this file's first click — X sends no press for a button already down. Each file starts with every
 * button up, and says which were not.
 */
async function releaseStrayButtons(x11: X11Connection, display: string): Promise<void> {
  const buttons = await heldButtons(x11);
  if (!buttons.length) return;
  console.warn(`e2e harness: buttons ${buttons.join(', ')} were held on ${display} when this file started; released`);
  for (const b of buttons) execFileSync('xdotool', ['mouseup', String(b)], { env: { ...process.env, DISPLAY: display } });
}

/** The viewer's window on a second display (`viewerDisplay`): the size of the host's screen, in the corner. */
export const VIEWER_WINDOW = ['--window-position=0,0', '--window-size=1280,800'];

/** Marker the host browser's auto-select flag looks for in a window title. */
export const SHARE_MARKER = 'PDSHARE';

/** What the harness needs of a signaling server: where it is, and how to stop it. */
export type SignalingEndpoint = Pick<RunningSignalingServer, 'url' | 'wsUrl' | 'close'>;

/**
 * Everything an end-to-end test needs: Xvfb, the real signaling server serving
 * the real renderer bundle, and Chromium pages for both roles. The host page gets
 * `window.peerdesk` — the same API preload gives it in Electron — wired to the
 * harness's X11 stand-in for desktopCapturer.
 */
export class E2EHarness {
  readonly windows: Array<{ app: XApp; name: string }> = [];
  /** Extra Chromium switches per role (the benchmarks tag processes to measure their CPU). */
  readonly extraArgs: { host: string[]; viewer: string[] } = { host: [], viewer: [] };
  /** The host browsers of the running test, and those a finished test left idle (keyed by their launch flags). */
  private readonly hostBrowsers: Array<{ key: string; browser: Browser }> = [];
  private readonly idleHostBrowsers: Array<{ key: string; browser: Browser }> = [];
  /**
   * Between tests, keep host browsers for the next test with the same flags (the suite: Vitest sets VITEST). The
   * benchmarks, run as scripts, launch one per session as the app's user would, and tag its processes per variant.
   * PEERDESK_FRESH_HOST_BROWSERS=1 launches one per host page in the suite too (to compare, or to rule the reuse out).
   */
  reuseHostBrowsers = process.env.VITEST !== undefined && process.env.PEERDESK_FRESH_HOST_BROWSERS !== '1';
  private viewerBrowser?: Browser;
  /**
   * The benchmarks' second screen: when set, the viewer's browser runs with a window on this X display (not headless),
   * so what it shows reaches a framebuffer an observer can read.
   */
  viewerDisplay?: string;
  /** The annotation benchmark: the host's browser gets a real window on its display, so its page is on the X screen. */
  hostWindowed = false;

  /** What the last host page was launched to capture (Chromium's auto-select picks either screens or windows). */
  private hostCapture: 'screen' | 'window' = 'screen';
  /** Bounds of windows that stand for PeerDesk's own windows (prompts, sharing bar) in the tests. */
  readonly ownWindowRects: Rect[] = [];
  ownWindowFocused = false;
  /**
   * When the last control message reached the host services through the IPC stand-in, and when they were done
   * with it (injected or refused), and when the first injector call for it began: the input benchmark splits its
   * latency per hop with these.
   */
  lastControl = { receivedAt: 0, injectAt: 0, doneAt: 0 };
  readonly prompt = new TestPrompt();
  readonly services: HostServices;
  /** The host's download folder for this test (main's FileSaveService writes there, as in the app). */
  downloadDir = mkdtempSync(join(tmpdir(), 'peerdesk-downloads-'));
  maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  /** Stands in for Electron's `clipboard` module (the Electron boundary): the host's system clipboard, as text. */
  hostClipboard = '';
  readonly files = new FileSaveService({
    folder: () => this.downloadDir,
    maxBytes: () => this.maxFileBytes,
    onSaved: ({ name, size, sha256 }) => this.services.audit.record('file.received', { file: { name, size, sha256 } }),
  });
  private fileOps: Promise<unknown> = Promise.resolve();

  /**
   * The IPC stand-in for control messages, file calls and the source pick: a local WebSocket, as cheap per message
   * as Electron's IPC (Playwright's exposeFunction costs milliseconds, tens of them under load, and would skew input
   * latency and time to first frame).
   */
  private readonly inputBridge = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/input' });

  private constructor(
    readonly display: string,
    readonly server: SignalingEndpoint,
    readonly x11: X11Connection,
    private readonly unicode: X11UnicodeTyper,
    private readonly ownXvfb?: Xvfb,
  ) {
    this.inputBridge.on('connection', (ws) =>
      ws.on('message', (data: Buffer, isBinary) => {
        if (isBinary) this.fileOps = this.fileOps.then(() => this.fileChunk(data)).catch(() => undefined);
        else if (data.subarray(0, 7).toString() === '{"rpc":') this.hostCall(ws, data);
        else {
          const control = { receivedAt: wallClock(), injectAt: 0, doneAt: 0 };
          this.lastControl = control;
          void this.services.controlMessage(String(data)).finally(() => (control.doneAt = wallClock()));
        }
      }),
    );
    // The same services main.ts builds, on the same real robotjs and X connection; only the prompt is the test's.
    this.services = new HostServices({
      auditPath: join(mkdtempSync(join(tmpdir(), 'peerdesk-audit-')), 'audit.jsonl'),
      prompt: this.prompt,
      injector: new TimedInjector(new RobotInjector(unicode), () => this.lastControl, wallClock),
      windows: new X11WindowSystem(x11),
      own: { rects: () => this.ownWindowRects, focused: () => this.ownWindowFocused },
      screens: () => this.monitors.map((m) => ({ id: m.id, bounds: m.bounds, scaleFactor: 1 })),
      clipboard: { readText: () => this.hostClipboard, writeText: (text) => void (this.hostClipboard = text) },
    });
  }

  /** A file chunk, as ipc-handlers.ts takes it: a 36-byte token, then the bytes. */
  private fileChunk(data: Buffer): Promise<void> {
    return this.files.write(data.subarray(0, 36).toString(), new Uint8Array(data.subarray(36)));
  }

  /**
   * An invoke of the host API, answered as ipc-handlers.ts answers it. File calls run one at a time in arrival order
   * with the chunks, like IPC invokes; listing and picking sources go straight on.
   */
  private hostCall(ws: import('ws').WebSocket, data: Buffer): void {
    const { rpc, op, args } = JSON.parse(String(data)) as { rpc: number; op: string; args: [string, unknown] };
    const answer = async () => {
      try {
        ws.send(JSON.stringify({ rpc, ok: true, result: await this.hostOp(op, args) }));
      } catch (err) {
        ws.send(JSON.stringify({ rpc, ok: false, error: (err as Error).message }));
      }
    };
    if (op === 'listSources' || op === 'selectSource') void answer();
    else this.fileOps = this.fileOps.then(answer);
  }

  private async hostOp(op: string, args: [string, unknown]): Promise<unknown> {
    switch (op) {
      case 'listSources':
        return this.sources((args[0] as { thumbnails?: boolean } | undefined)?.thumbnails ?? true);
      case 'selectSource':
        return this.selectSource(args[0]);
      case 'begin':
        return this.files.begin(args[0], Number(args[1]));
      case 'finish': {
        const r = await this.files.finish(args[0], String(args[1]));
        return r.ok ? { ok: true, path: r.path } : r;
      }
      default:
        return this.files.abort(args[0]);
    }
  }

  /**
   * Uses the run's Xvfb (test/support/global-setup.ts) or, from scripts, starts one. `external`: a server the test
   * runs itself (a process it kills and restarts) instead of one in this process.
   */
  static async start(serverOptions: StartOptions = {}, external?: SignalingEndpoint): Promise<E2EHarness> {
    const ownXvfb = process.env.PEERDESK_TEST_XVFB ? undefined : await startXvfb();
    if (ownXvfb) process.env.DISPLAY = ownXvfb.display;
    const display = process.env.DISPLAY!;
    const server =
      external ??
      (await startSignalingServer({
        port: 0,
        logger: pino({ level: 'silent' }),
        // The renderer users get; the relay test and the benchmarks pass `dist/renderer-instrumented`.
        staticDir: 'dist/renderer',
        // Every host page of a test file opens its session from 127.0.0.1.
        hostOpensPerMinute: 1000,
        ...serverOptions,
      }));
    const x11 = await X11Connection.connect(display);
    await releaseStrayButtons(x11, display);
    return new E2EHarness(display, server, x11, await X11UnicodeTyper.create(x11), ownXvfb);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, DISPLAY: this.display };
  }

  /** A coloured X window the host can share; `name` is what the picker shows. */
  async openWindow(name: string, color: string, geometry: string): Promise<XApp> {
    const app = await XApp.start('color_window.py', { title: name, color, geometry }, this.env);
    // With no window manager, nobody sets WM_STATE, and Chromium's window list skips windows without it.
    execFileSync('xprop', ['-id', app.windowId, '-f', 'WM_STATE', '32c', '-set', 'WM_STATE', '1'], { env: this.env });
    this.windows.push({ app, name });
    return app;
  }

  /** Like desktopCapturer.getSources: every screen and window, with thumbnails grabbed from X when asked for. */
  async sources(thumbnails = true): Promise<CaptureSource[]> {
    const list = [
      ...this.monitors.map((m) => ({ id: `screen:${m.id}:0`, name: m.name, kind: 'screen' as const, xid: 'root' })),
      ...this.windows.map((w) => ({ id: `window:${w.app.windowId}`, name: w.name, kind: 'window' as const, xid: w.app.windowId })),
    ];
    // Grabbed in parallel, as desktopCapturer does.
    return Promise.all(list.map(async ({ xid, ...s }) => ({ ...s, thumbnail: thumbnails ? await this.thumbnail(xid) : undefined })));
  }

  private thumbnail(window: string): Promise<string> {
    return xThumbnail(this.x11, window === 'root' ? this.x11.root : Number(window));
  }

  /**
   * The X screen as the host's monitors. One by default ("Entire screen", as Chromium names a single screen);
   * `splitIntoMonitors(2)` defines RandR monitors side by side, which Chromium lists as "Screen 1", "Screen 2".
   */
  monitors: Array<{ id: string; name: string; bounds: { x: number; y: number; width: number; height: number } }> = [
    { id: '0', name: 'Entire screen', bounds: { x: 0, y: 0, width: 1280, height: 800 } },
  ];

  splitIntoMonitors(n: number): void {
    const width = Math.floor(1280 / n);
    this.monitors = Array.from({ length: n }, (_, i) => ({
      id: String(i),
      name: `Screen ${i + 1}`,
      bounds: { x: i * width, y: 0, width, height: 800 },
    }));
    this.defineMonitors(this.monitors);
  }

  /** Back to one screen (RandR monitors removed). */
  joinMonitors(): void {
    for (const m of this.monitors) if (m.name !== 'Entire screen') this.xrandr('--delmonitor', `PD${m.id}`);
    this.monitors = [{ id: '0', name: 'Entire screen', bounds: { x: 0, y: 0, width: 1280, height: 800 } }];
  }

  /**
   * Chromium auto-selects a screen by its name, fixed when the browser starts ("Screen 1"), and names screens in
   * RandR's order: so picking monitor `id` defines it first. This is the harness standing in for Electron's
   * display-media handler, which hands Chromium the picked source directly.
   */
  private putMonitorFirst(id: string): void {
    if (this.monitors.length < 2) return;
    const picked = this.monitors.find((m) => m.id === id);
    if (!picked) return;
    for (const m of this.monitors) this.xrandr('--delmonitor', `PD${m.id}`);
    this.defineMonitors([picked, ...this.monitors.filter((m) => m !== picked)]);
  }

  private defineMonitors(list: typeof this.monitors): void {
    for (const m of list) {
      const { x, y, width, height } = m.bounds;
      this.xrandr(
        '--setmonitor',
        `PD${m.id}`,
        `${width}/${Math.round(width / 3.78)}x${height}/${Math.round(height / 3.78)}+${x}+${y}`,
        'none',
      );
    }
  }

  private xrandr(...args: string[]): void {
    execFileSync('xrandr', args, { env: this.env, stdio: 'ignore' });
  }

  /**
   * Stand-in for Electron's display-media handler: the picked window alone carries the marker Chromium auto-selects.
   * A page launched for window capture cannot capture a screen here (Chromium would wait forever for a window with
   * the marker, and hold every later capture request of the page behind it), so a screen pick fails at once there.
   */
  private selectSource(id: string): void {
    if (id.startsWith('screen:') && this.hostCapture === 'window') throw new Error('this test page captures windows only');
    this.services.selectSource(id);
    if (id.startsWith('screen:')) return this.putMonitorFirst(id.split(':')[1]); // screens are auto-selected by name
    for (const w of this.windows) {
      const title = `window:${w.app.windowId}` === id ? `${w.name} ${SHARE_MARKER}` : w.name;
      execFileSync('xdotool', ['set_window', '--name', title, w.app.windowId], { env: this.env });
    }
  }

  private async context(browser: Browser, windowed = false): Promise<BrowserContext> {
    // A real window keeps its own size; a headless page gets a fixed one.
    const context = await browser.newContext({ viewport: windowed ? null : { width: 1100, height: 720 } });
    await context.grantPermissions(['camera', 'microphone', 'clipboard-read', 'clipboard-write'], { origin: this.server.url });
    return context;
  }

  /**
   * The host page. `capture: 'screen'` auto-selects the entire screen; `'window'`
   * shares the window picked through the host API.
   */
  async hostPage(
    capture: 'screen' | 'window' = 'screen',
    withApi = true,
    query = '',
    /** Runs before the page loads, after the harness's own instrumentation (a test's init script, say). */
    intercept?: (page: Page) => Promise<void>,
  ): Promise<Page> {
    this.hostCapture = capture;
    const browser = await this.hostBrowser({
      display: this.display,
      autoSelectSource: capture === 'screen' ? this.monitors[0].name : SHARE_MARKER,
      headless: !this.hostWindowed,
      extraArgs: [...this.extraArgs.host, ...(this.hostWindowed ? VIEWER_WINDOW : [])],
    });
    const page = await (await this.context(browser, this.hostWindowed)).newPage();
    // One binding and one init script per page: each is a round trip to the browser (about 0.1 s apiece on the
    // loaded machine, and the API took eight of them).
    if (withApi) await page.exposeFunction('__pdHost', (op: string, args: unknown[]) => this.hostBinding(page, op, args));
    const bridge = `ws://127.0.0.1:${(this.inputBridge.address() as { port: number }).port}/input`;
    // The capture counter last: where a frame has no mediaDevices it throws, and must not take the others with it.
    await page.addInitScript([PEER_INSTRUMENTATION, withApi ? hostApiScript(bridge) : '', CAPTURE_COUNTER].join('\n'));
    if (withApi) {
      const unsubscribe = this.services.onControlState(
        (state) => void page.evaluate(`window.__pdControlState(${JSON.stringify(state)})`).catch(() => undefined),
      );
      page.once('close', unsubscribe);
    }
    await intercept?.(page);
    await page.goto(`${this.server.url}/?role=host${query}`);
    await page.waitForSelector('#session-code');
    return page;
  }

  /** The calls preload answers through IPC in the app, answered as ipc-handlers.ts answers them. */
  private hostBinding(page: Page, op: string, args: unknown[]): unknown {
    // As ipc-handlers.ts: main's ClipboardService decides, and a refusal rejects with its code.
    const settled = <T>(r: { ok: true; value: T } | { ok: false; reason: string }): T => {
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    switch (op) {
      case 'signalingUrl':
        return this.server.wsUrl;
      case 'readClipboard':
        return settled(this.services.clipboard.read());
      case 'writeClipboard':
        return settled(this.services.clipboard.write(String(args[0])));
      case 'setClipboardSharing':
        return void settled(this.services.clipboard.setSharing(Boolean(args[0])));
      case 'startControlSession':
        return this.services.startControlSession(String(args[0]), verifiedIdentitySchema.optional().parse(args[1] ?? undefined));
      case 'revokeControl':
        return this.services.revokeControl('host');
      case 'endControlSession':
        this.services.endControlSession('disconnected');
        return this.files.abortAll();
      default:
        throw new Error(`no host call ${op} (page ${page.url()})`);
    }
  }

  /**
   * A host browser launched with these flags (and this monitor layout): an idle one a finished test left, or a new
   * one. Each host page of a test still has its own browser process; only between tests is one reused, with a fresh
   * context (a fresh profile, as each launch had) — starting Chromium was the largest part of a test on CI.
   */
  private async hostBrowser(options: LaunchOptions): Promise<Browser> {
    const key = JSON.stringify([options, this.monitors]);
    const idle = this.idleHostBrowsers.findIndex((b) => b.key === key && b.browser.isConnected());
    const browser = idle >= 0 ? this.idleHostBrowsers.splice(idle, 1)[0].browser : await launchChromium(options);
    this.hostBrowsers.push({ key, browser });
    return browser;
  }

  /** `intercept` runs before the page loads (a test's WebSocket route, say). */
  viewerPage(query = '', intercept?: (page: Page) => Promise<void>): Promise<Page> {
    return this.viewerBrowserPage(`/?role=viewer${query}`, intercept);
  }

  /**
   * The technicians' console (`/console`) in a fresh context of the viewer's browser; `intercept` runs before it loads
   * (a sign-in cookie, say). Loaded once: opening the viewer page first and then the console cost a second page load.
   */
  consolePage(intercept?: (page: Page) => Promise<unknown>): Promise<Page> {
    return this.viewerBrowserPage('/console', intercept);
  }

  private async viewerBrowserPage(path: string, intercept?: (page: Page) => Promise<unknown>): Promise<Page> {
    this.viewerBrowser ??= await launchChromium({
      display: this.viewerDisplay ?? this.display,
      headless: !this.viewerDisplay,
      extraArgs: [...this.extraArgs.viewer, ...(this.viewerDisplay ? VIEWER_WINDOW : [])],
    });
    const page = await (await this.context(this.viewerBrowser, !!this.viewerDisplay)).newPage();
    await page.addInitScript(PEER_INSTRUMENTATION);
    await intercept?.(page);
    await page.goto(`${this.server.url}${path}`);
    return page;
  }

  static async sessionCredentials(host: Page): Promise<{ code: string; pin: string }> {
    const code = (await host.textContent('#session-code'))!.replace(/\s/g, '');
    const pin = (await host.textContent('#session-pin'))!.trim();
    return { code, pin };
  }

  /** Viewer submits code + PIN + name; resolves once the host sees the consent prompt. */
  static async requestToJoin(host: Page, viewer: Page, name = 'Tina from IT'): Promise<void> {
    const { code, pin } = await E2EHarness.sessionCredentials(host);
    await viewer.fill('#join-code', code);
    await viewer.fill('#join-pin', pin);
    await viewer.fill('#join-name', name);
    await viewer.click('#join-submit');
    await host.waitForSelector('#allow-view');
  }

  /** Between tests: close the pages and windows of the last one (the viewer browser is reused). */
  async reset(options: { keepWindows?: boolean } = {}): Promise<void> {
    await this.releaseHostBrowsers();
    await this.files.abortAll();
    this.downloadDir = mkdtempSync(join(tmpdir(), 'peerdesk-downloads-'));
    this.maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    this.hostClipboard = '';
    this.services.endControlSession('test-ended');
    this.prompt.dismiss();
    await Promise.all(this.viewerBrowser?.contexts().map((c) => c.close()) ?? []);
    if (!options.keepWindows) await this.closeWindows();
  }

  /**
   * Closes the host pages' contexts; a browser goes back to the pool only when `reuseHostBrowsers` is on and it
   * closed cleanly, else it is closed too.
   */
  private async releaseHostBrowsers(): Promise<void> {
    await Promise.all(
      this.hostBrowsers.splice(0).map(async (b) => {
        const closed = await Promise.all(b.browser.contexts().map((c) => c.close())).then(
          () => true,
          () => false,
        );
        if (closed && this.reuseHostBrowsers && b.browser.isConnected()) this.idleHostBrowsers.push(b);
        else await b.browser.close().catch(() => undefined);
      }),
    );
  }

  async closeWindows(): Promise<void> {
    await Promise.all(this.windows.splice(0).map((w) => w.app.stop()));
  }

  async stop(): Promise<void> {
    const hostBrowsers = [...this.hostBrowsers, ...this.idleHostBrowsers.splice(0)].map((b) => b.browser);
    await Promise.all([...hostBrowsers, this.viewerBrowser].map((b) => b?.close().catch(() => undefined)));
    await this.closeWindows();
    await this.server.close();
    await new Promise((r) => this.inputBridge.close(r));
    await this.unicode.release();
    this.x11.close();
    await this.ownXvfb?.stop();
  }
}
