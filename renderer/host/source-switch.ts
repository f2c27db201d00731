import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import { focusFirst } from '../ui/dom';
import type { PeerLink } from '../net/peer-link';
import type { SessionLog } from '../session/session-log';
import type { HostCapture } from './host-capture';
import type { HostEvent, HostState } from './host-session-machine';
import { switchPanel } from './switch-panel';

/** What a switch needs from the session. */
export interface SwitchContext {
  capture: HostCapture;
  link?: PeerLink;
  log?: SessionLog;
  state(): HostState;
  dispatch(event: HostEvent): void;
}

/**
 * The person's "Share something else", or the technician's screen choice (which ends control, in main): the new
 * track replaces the old one in place, the log says what is shared now, and the session machine hears whether the
 * source really changed (a recording, agreed for the old one, ends only then).
 */
export async function switchSource(ctx: SwitchContext, source: CaptureSource | undefined, requestedBy?: 'viewer'): Promise<void> {
  if (!ctx.capture.current || !ctx.link) return;
  const next = await ctx.capture.switchTo(source, ctx.link);
  const s = ctx.state();
  if (next && s.kind === 'sharing') {
    const asked = requestedBy ? ` (${s.viewer.name} asked for it; control ended)` : '';
    ctx.log?.record('source', `Switched to ${next.label}${asked}`, {
      source: next.label,
      ...(source ? { kind: source.kind } : {}),
      ...(requestedBy ? { requestedBy } : {}),
    });
  }
  ctx.dispatch({ type: 'source.switched', changed: Boolean(next) });
}

/** "Switch source": the desktop app's panel of screens and windows; a browser goes straight to its own picker. */
export function chooseSource(
  root: HTMLElement,
  api: PeerDeskHostApi | undefined,
  currentId: string | undefined,
  switchTo: (source: CaptureSource | undefined) => Promise<void>,
  repaint: () => void,
): void {
  if (!api) return void switchTo(undefined);
  const panel = switchPanel(api, currentId, (source) => void switchTo(source), repaint);
  root.append(panel);
  focusFirst(panel);
}
