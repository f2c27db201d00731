import type { ControlState } from '../../protocol/control-messages';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import type { VerifiedPolicy } from '../../protocol/verified-policy';
import { AuditLog } from './audit-log';
import { ClipboardService, type SystemClipboard } from './clipboard-service';
import { type ControlPrompt, ConsentService } from './consent-service';
import type { Injector } from './input/injector';
import { type InputResult, InputService, type OwnWindows } from './input/input-service';
import type { Rect, SharedSurface } from './input/surface';
import type { WindowSystem } from './input/window-system';

export interface ScreenInfo {
  /** The numeric part of the capture id (`screen:<id>:…`). */
  id: string;
  bounds: Rect;
  scaleFactor: number;
}

export interface HostServicesDeps {
  auditPath: string;
  prompt: ControlPrompt;
  injector: Injector;
  windows: WindowSystem;
  own: OwnWindows;
  screens: () => ScreenInfo[];
  /** The clock of consent cool-downs (tests pass their own). */
  now?: () => number;
  /** How long held input survives a silent viewer (default HELD_INPUT_TIMEOUT_MS). */
  heldTimeoutMs?: number;
  /** The system clipboard (none: every clipboard call is refused). */
  clipboard?: SystemClipboard;
  /** The host's "Only verified technicians" setting (default: off). */
  policy?: () => VerifiedPolicy;
}

/**
 * The host services wired together, without Electron: main.ts connects them to
 * IPC, the end-to-end harness to the page's `window.peerdesk`. Same calls, same rules.
 */
export class HostServices {
  readonly audit: AuditLog;
  readonly consent: ConsentService;
  readonly input: InputService;
  readonly clipboard: ClipboardService;
  private sourceId?: string;
  private viewer?: string;

  constructor(private readonly deps: HostServicesDeps) {
    this.audit = new AuditLog(deps.auditPath);
    this.consent = new ConsentService(this.audit, deps.prompt, deps.now, deps.policy);
    this.input = new InputService({
      consent: this.consent,
      injector: deps.injector,
      windows: deps.windows,
      own: deps.own,
      heldTimeoutMs: deps.heldTimeoutMs,
    });
    this.clipboard = new ClipboardService(this.audit, deps.clipboard);
  }

  /** Capture ids look like `screen:<id>:0` or `window:<xid>:0` (Electron and the harness alike). */
  surfaceFor(sourceId: string): SharedSurface | undefined {
    const [kind, id] = sourceId.split(':');
    if (kind === 'window' && /^\d+$/.test(id ?? '')) return { kind: 'window', sourceId, windowId: id, scaleFactor: 1 };
    if (kind !== 'screen') return undefined;
    const screens = this.deps.screens();
    const screen = screens.find((s) => s.id === id) ?? (screens.length === 1 ? screens[0] : undefined);
    return screen && { kind: 'screen', sourceId, bounds: screen.bounds, scaleFactor: screen.scaleFactor };
  }

  /** A switch ends control before anything else, even when the new source cannot be resolved to a surface. */
  selectSource(sourceId: string): void {
    const changed = this.sourceId !== undefined && this.sourceId !== sourceId;
    this.sourceId = sourceId;
    if (changed && this.viewer) this.input.changeSurface(sourceId, this.surfaceFor(sourceId));
    if (this.viewer) this.audit.record('source.shared', { viewer: this.viewer, source: sourceId });
  }

  /** `identity`: what the server verified about this viewer (sign-in), as the host page was told it. */
  startControlSession(viewer: string, identity?: VerifiedIdentity): void {
    const surface = this.sourceId ? this.surfaceFor(this.sourceId) : undefined;
    this.viewer = viewer;
    this.audit.record('viewer.joined', { viewer, source: this.sourceId, verified: identity ? identity.email : false });
    this.consent.admitted(viewer, identity);
    this.input.beginSession(viewer, surface);
    this.clipboard.beginSession(viewer);
  }

  endControlSession(reason = 'session-ended'): void {
    if (!this.viewer) return;
    this.audit.record('viewer.left', { viewer: this.viewer, reason });
    this.input.endSession(reason);
    this.clipboard.endSession();
    this.viewer = undefined;
  }

  controlMessage(raw: unknown): Promise<InputResult> {
    return this.input.handle(raw);
  }

  /** The host takes control back (sharing-bar button or global hotkey). */
  revokeControl(reason = 'host'): void {
    this.consent.revoke(reason);
  }

  onControlState(listener: (state: ControlState) => void): () => void {
    return this.consent.onChange(listener);
  }
}
