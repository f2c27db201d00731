import type { ControlState } from '../../protocol/control-messages';
import type { VerifiedIdentity } from '../../protocol/signaling-messages';
import { NO_VERIFIED_POLICY, policyRefusal, type VerifiedPolicy } from '../../protocol/verified-policy';
import type { AuditLog } from './audit-log';

export interface ControlScope {
  viewer: string;
  sourceId: string;
}

/** The host's own prompt: a main-process window in Electron, the test itself in the harness. */
export interface ControlPrompt {
  /** `identity`: the technician as the server verified them (sign-in); absent: the name is only what they typed. */
  ask(viewer: string, identity?: VerifiedIdentity): void;
  dismiss(): void;
}

type Listener = (state: ControlState) => void;

/** After the host's 1st, 2nd, 3rd… Deny, further requests wait this long before the prompt can show again. */
export const DENY_COOLDOWNS_MS = [10_000, 30_000, 60_000] as const;

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
  /** Denials in this session, the end of the current cool-down, and the host's "Don't ask again". */
  private denials = 0;
  private coolDownUntil = 0;
  private blocked = false;
  /** Who the host page admitted, with the identity the server attached (if any): kept until that session ends. */
  private admittedViewer?: { viewer: string; identity?: VerifiedIdentity };

  constructor(
    private readonly audit: AuditLog,
    private readonly prompt: ControlPrompt,
    private readonly now: () => number = Date.now,
    /** The host's "Only verified technicians" setting, read at each request (it may change while running). */
    private readonly policy: () => VerifiedPolicy = () => NO_VERIFIED_POLICY,
  ) {}

  /**
   * The host page admitted this viewer, verified (identity) or not. Main checks its own policy on every control
   * request against this: a page that admits an unverified viewer despite the setting still cannot hand them control.
   */
  admitted(viewer: string, identity?: VerifiedIdentity): void {
    this.admittedViewer = { viewer, identity };
  }

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
    this.denials = 0;
    this.coolDownUntil = 0;
    this.blocked = false;
    this.set('none');
  }

  /** Milliseconds before a request may show the prompt again (0: now; Infinity: the host said don't ask again). */
  retryAfterMs(): number {
    if (this.blocked) return Infinity;
    return Math.max(0, this.coolDownUntil - this.now());
  }

  /**
   * From the network: the viewer asks. Shows the host's prompt; never grants by itself. After a Deny the
   * prompt stays shut for a growing cool-down (asking again and again is a scammer's pressure tactic), and
   * for the rest of the session once the host chose "Don't ask again".
   */
  request(): void {
    if (!this.scope || this.state === 'granted' || this.state === 'requested') return;
    const identity = this.admittedViewer?.viewer === this.scope.viewer ? this.admittedViewer.identity : undefined;
    if (policyRefusal(this.policy(), this.scope.viewer, identity)) {
      // Never shown as a prompt: this host accepts control only from verified technicians.
      this.blocked = true;
      this.audit.record('control.request-refused', { viewer: this.scope.viewer, reason: 'not-verified' });
      return this.set('blocked');
    }
    const wait = this.retryAfterMs();
    if (wait > 0) {
      this.audit.record('control.request-refused', { viewer: this.scope.viewer, retryAfterMs: Number.isFinite(wait) ? wait : null });
      return this.set(this.blocked ? 'blocked' : 'cooldown');
    }
    this.set('requested');
    this.audit.record('control.requested', { viewer: this.scope.viewer, source: this.scope.sourceId });
    this.prompt.ask(this.scope.viewer, identity);
  }

  /** The host's local Allow. */
  grant(): void {
    if (!this.scope || this.state !== 'requested') return;
    this.prompt.dismiss();
    this.set('granted');
    this.audit.record('control.granted', { viewer: this.scope.viewer, source: this.scope.sourceId });
  }

  /** The host's local Deny; `dontAskAgain` keeps the prompt shut for the rest of this session. */
  deny(dontAskAgain = false): void {
    if (!this.scope || this.state !== 'requested') return;
    this.prompt.dismiss();
    this.denials += 1;
    this.coolDownUntil = this.now() + DENY_COOLDOWNS_MS[Math.min(this.denials, DENY_COOLDOWNS_MS.length) - 1]!;
    this.blocked ||= dontAskAgain;
    this.set('denied');
    this.audit.record('control.denied', { viewer: this.scope.viewer, dontAskAgain });
  }

  /** Take control back: sharing-bar button, global hotkey, or the viewer releasing it. */
  revoke(reason: string): void {
    if (this.state !== 'granted' && this.state !== 'requested') return;
    this.prompt.dismiss();
    this.set('revoked');
    this.audit.record('control.revoked', { viewer: this.scope?.viewer, reason });
  }

  /** The shared source changed: any grant (or open request) was for the old one, so it ends first, always. */
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
    this.admittedViewer = undefined;
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
