import type { ControlState } from '../../protocol/control-messages';
import type { AuditLog } from './audit-log';

export interface ControlScope {
  viewer: string;
  sourceId: string;
}

/** The host's own prompt: a main-process window in Electron, the test itself in the harness. */
export interface ControlPrompt {
  ask(viewer: string): void;
  dismiss(): void;
}

type Listener = (state: ControlState) => void;

/**
 * Whether the viewer may drive the mouse and keyboard. States: none → requested →
 * granted → revoked/ended. Only `grant()` reaches granted, and only the host's local
 * UI calls it; no network message maps to it. A grant is scoped to one viewer and one
 * source: a source change, disconnect or session end revokes it.
 */
export class ConsentService {
  private state: ControlState = 'none';
  private scope?: ControlScope;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly audit: AuditLog,
    private readonly prompt: ControlPrompt,
  ) {}

  get current(): ControlState {
    return this.state;
  }

  /** True only while granted for exactly this viewer and source. */
  allows(viewer: string, sourceId: string): boolean {
    return this.state === 'granted' && this.scope?.viewer === viewer && this.scope.sourceId === sourceId;
  }

  /** A session with a viewer starts sharing `sourceId`; control starts at none. */
  beginSession(viewer: string, sourceId: string): void {
    this.scope = { viewer, sourceId };
    this.set('none');
  }

  /** From the network: the viewer asks. Shows the host's prompt; never grants by itself. */
  request(): void {
    if (!this.scope || this.state === 'granted' || this.state === 'requested') return;
    this.set('requested');
    this.audit.record('control.requested', { viewer: this.scope.viewer, source: this.scope.sourceId });
    this.prompt.ask(this.scope.viewer);
  }

  /** The host's local Allow. */
  grant(): void {
    if (!this.scope || this.state !== 'requested') return;
    this.prompt.dismiss();
    this.set('granted');
    this.audit.record('control.granted', { viewer: this.scope.viewer, source: this.scope.sourceId });
  }

  /** The host's local Deny. */
  deny(): void {
    if (!this.scope || this.state !== 'requested') return;
    this.prompt.dismiss();
    this.set('denied');
    this.audit.record('control.denied', { viewer: this.scope.viewer });
  }

  /** Take control back: sharing-bar button, global hotkey, or the viewer releasing it. */
  revoke(reason: string): void {
    if (this.state !== 'granted' && this.state !== 'requested') return;
    this.prompt.dismiss();
    this.set('revoked');
    this.audit.record('control.revoked', { viewer: this.scope?.viewer, reason });
  }

  /** The shared source changed: any grant was for the old one. */
  sourceChanged(sourceId: string): void {
    this.revoke('source-changed');
    if (this.scope) this.scope = { ...this.scope, sourceId };
  }

  endSession(reason: string): void {
    if (!this.scope) return;
    const wasActive = this.state === 'granted' || this.state === 'requested';
    this.prompt.dismiss();
    if (wasActive) this.audit.record('control.ended', { viewer: this.scope.viewer, reason });
    this.scope = undefined;
    this.set('none');
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: ControlState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }
}
