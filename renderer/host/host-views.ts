import type { CaptureSource, PeerDeskHostApi } from '../../protocol/host-api';
import type { PlatformNotice } from '../../protocol/settings';
import { h } from '../ui/dom';
import { endCard } from '../ui/end-card';
import type { CodeMemory } from '../ui/security-code-badge';
import { summaryLine, type SessionLogPanel } from '../ui/session-log-panel';
import type { SessionLog } from '../session/session-log';
import { pickedRequestNote } from './help-request-panel';
import { interruptedCard } from './interrupted-card';
import type { HostState } from './host-session-machine';
import { readyCard } from './ready-card';
import { sharingBar } from './sharing-bar';
import { sourcePicker } from './source-picker';
import { viewPrompt } from './view-prompt';

type StateOf<K extends HostState['kind']> = Extract<HostState, { kind: K }>;

/** What the views show besides the state: the session's parts, and what the person's clicks turn into. */
export interface HostViewContext {
  api: PeerDeskHostApi | undefined;
  lanUrl?: string;
  notices: PlatformNotice[];
  gate?: HTMLElement;
  help?: HTMLElement;
  graceMs: number;
  log?: SessionLog;
  logPanel?: SessionLogPanel;
  codeMemory?: CodeMemory;
  stop(): void;
  restart(): void;
  home(): void;
}

/** The prompt's parts the session reads later: the picked source and the "keep my request" choice. */
export interface PromptHandlers {
  onPick(source: CaptureSource): void;
  onAllow(): void;
  onDeny(): void;
  /** The prompt is on screen: its Allow arms itself while `stillOpen`. */
  stillOpen(): boolean;
}

const status = (text: string) => h('p', { class: 'status busy', role: 'status' }, text);

export const connectingView = () => status('Connecting to the PeerDesk server…');

export function readyView(s: StateOf<'ready'>, ctx: HostViewContext): HTMLElement {
  const { lanUrl, notices, gate } = ctx;
  const card = readyCard({ session: s.session, notice: s.notice, lanUrl, notices, gate, onEnd: ctx.stop });
  if (ctx.help) card.append(ctx.help);
  return card;
}

/**
 * Up at once: the list of what to share fills in while the person reads the request, and `preview` (desktop app)
 * shows the picked source live once its capture runs.
 */
export function promptView(s: StateOf<'prompt'>, ctx: HostViewContext, on: PromptHandlers, preview?: HTMLElement) {
  const { request } = s;
  const picker = sourcePicker(ctx.api, on.onPick);
  const prompt = viewPrompt(
    { name: request.name, identity: request.identity },
    picker.element,
    preview,
    (button) => {
      button.disabled = true;
      on.onAllow();
    },
    on.onDeny,
  );
  const picked = pickedRequestNote(request);
  if (picked.element) prompt.element.querySelector('h3')?.before(picked.element);
  return { element: prompt.element, requeue: picked.requeue, shown: () => prompt.shown(on.stillOpen, picker.ready) };
}

export const connectingPeerView = (s: StateOf<'starting'>) => status(`Connecting to ${s.viewer.name}…`);

export const interruptedView = (s: StateOf<'interrupted'>, ctx: HostViewContext) => interruptedCard(s.viewer.name, ctx.graceMs, ctx.stop);

/** What the sharing screen holds beyond the state: the capture and the tools on the link, once up. */
export interface SharingParts {
  sourceLabel: string;
  pc?: RTCPeerConnection;
  toggles?: { chatToggle: HTMLElement; filesToggle: HTMLElement };
  controlBar?: HTMLElement;
  /** The recording's red mark (for the bar) and the slot its prompt shows in. */
  recording?: { mark: HTMLElement; prompt: HTMLElement };
  toolkitElements: HTMLElement[];
  onSwitch(): void;
}

export function sharingView(s: StateOf<'sharing'>, ctx: HostViewContext, parts: SharingParts): HTMLElement[] {
  const bar = sharingBar({
    sourceLabel: parts.sourceLabel,
    viewerName: s.viewer.name,
    viewerIdentity: s.viewer.identity,
    pc: parts.pc,
    ...parts.toggles,
    logToggle: ctx.logPanel?.toggle,
    recordingMark: parts.recording?.mark,
    codeMemory: ctx.codeMemory,
    onSwitch: parts.onSwitch,
    onStop: ctx.stop,
  });
  return [
    bar,
    ...(parts.recording ? [parts.recording.prompt] : []),
    ...(parts.controlBar ? [parts.controlBar] : []),
    ...parts.toolkitElements,
    ...(ctx.logPanel ? [ctx.logPanel.element] : []),
  ];
}

/** Nothing was ever opened (server unreachable, opening refused): that is not a session that ended. */
export function endedView(s: StateOf<'ended'>, ctx: HostViewContext): HTMLElement {
  const { log, logPanel } = ctx;
  const title = s.opened ? 'Session ended' : 'Could not start a session';
  const extra = s.opened && log && logPanel ? [h('p', { id: 'end-summary' }, summaryLine(log.summary())), logPanel.element] : [];
  logPanel?.setOpen(true);
  return endCard(title, s.message, { label: s.opened ? 'Start a new session' : 'Try again', onClick: ctx.restart }, ctx.home, extra);
}
