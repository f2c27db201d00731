import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import type { ToolkitChannel } from '../net/toolkit-channel';

/**
 * Lets the technician pick another of the host's screens. Only screens, only while a screen (not a window) is shared,
 * only ids from the host's own list: a window can never be reached this way. The switch itself is the host's usual
 * one, so it ends control first (security model) and is shown and logged like any other.
 */
export class MonitorRelay {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly toolkit: ToolkitChannel,
    private readonly api: PeerDeskHostApi,
    private readonly current: () => CaptureSource | undefined,
    private readonly switchTo: (source: CaptureSource, requestedBy: 'viewer') => Promise<void>,
  ) {
    this.unsubscribe = toolkit.on((m) => {
      if (m.t === 'screen.select') void this.select(m.id);
    });
  }

  /** Tells the viewer which screens there are (none unless a screen is shared and there are several). */
  async announce(): Promise<void> {
    const screens = await this.screens();
    const currentId = this.current()?.id;
    const list = screens.length > 1 && this.current()?.kind === 'screen' ? screens : [];
    this.toolkit.send({ t: 'screens', list: list.map((s) => ({ id: s.id, name: s.name, current: s.id === currentId })) });
  }

  private async select(id: string): Promise<void> {
    if (this.current()?.kind !== 'screen' || id === this.current()?.id) return;
    const target = (await this.screens()).find((s) => s.id === id);
    if (!target) return;
    await this.switchTo(target, 'viewer');
  }

  private async screens(): Promise<CaptureSource[]> {
    return (await this.api.listSources({ thumbnails: false })).filter((s) => s.kind === 'screen');
  }

  dispose(): void {
    this.unsubscribe();
  }
}
