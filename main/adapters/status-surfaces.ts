import { type BrowserWindow, Menu, nativeImage, Tray } from 'electron';
import { type HostStatus, indicatorQuery, type TrayAction, trayModel } from '../services/host-status';

export interface StatusSurfacesDeps {
  trayIconPath: string;
  /** Creates the always-on-top indicator window (hardened, see app-window.ts). */
  createIndicator: () => BrowserWindow;
  appUrl: (query: string) => string;
  actions: Record<TrayAction, () => void>;
}

/**
 * The tray icon and the always-on-top "Sharing with … — Stop" indicator, both
 * following the host's status: the indicator exists only while sharing.
 */
export class StatusSurfaces {
  private readonly tray: Tray;
  private indicator?: BrowserWindow;
  private shownQuery?: string;

  constructor(private readonly deps: StatusSurfacesDeps) {
    this.tray = new Tray(nativeImage.createFromPath(deps.trayIconPath));
    this.update({ sharing: null, control: 'none' });
  }

  update(status: HostStatus): void {
    const model = trayModel(status);
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        model.items.map((item) => ({ label: item.label, enabled: item.enabled, click: () => this.deps.actions[item.action]() })),
      ),
    );
    this.showIndicator(indicatorQuery(status));
  }

  /** The indicator window's WebContents, the only sender allowed to request Stop. */
  get indicatorContents() {
    return this.indicator && !this.indicator.isDestroyed() ? this.indicator.webContents : undefined;
  }

  private showIndicator(query: string | undefined): void {
    if (query === this.shownQuery) return;
    this.shownQuery = query;
    if (!query) {
      this.indicator?.close();
      this.indicator = undefined;
      return;
    }
    if (!this.indicator || this.indicator.isDestroyed()) {
      const win = this.deps.createIndicator();
      win.once('ready-to-show', () => win.showInactive());
      this.indicator = win;
    }
    void this.indicator.loadURL(this.deps.appUrl(query));
  }
}
