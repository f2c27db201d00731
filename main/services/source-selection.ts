import type { CaptureSource } from '../../protocol/host-api';

/**
 * Remembers the one source the host picked in the consent prompt. The display-media
 * handler answers `getDisplayMedia` only with it — no pick, no capture.
 */
export class SourceSelection {
  private picked?: CaptureSource;
  private listed: CaptureSource[] = [];

  /** The list last shown to the host: a pick must come from it (and needs no second, slow enumeration). */
  listedSources(sources: CaptureSource[]): CaptureSource[] {
    this.listed = sources;
    return sources;
  }

  pick(id: string, available: CaptureSource[] = this.listed): CaptureSource {
    const source = available.find((s) => s.id === id);
    if (!source) throw new Error(`unknown source ${id}`);
    this.picked = source;
    return source;
  }

  /** Consumes the pick: each capture needs a fresh decision by the host. */
  take(): CaptureSource | undefined {
    const picked = this.picked;
    this.picked = undefined;
    return picked;
  }

  clear(): void {
    this.picked = undefined;
  }
}
