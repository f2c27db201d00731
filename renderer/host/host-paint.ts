import type { ConnectionNote } from '../ui/connection-note';
import { focusFirst, mount } from '../ui/dom';
import { showFailedJoins } from './failed-joins';
import type { HostCapture } from './host-capture';
import type { HostLink } from './host-link';
import { type HostState, hostView } from './host-session-machine';
import * as views from './host-views';

type StateOf<K extends HostState['kind']> = Extract<HostState, { kind: K }>;

/** What painting needs beyond the state: the session's parts, and what the prompt's and sharing bar's clicks do. */
export interface PaintParts {
  ctx: views.HostViewContext;
  note?: ConnectionNote;
  failedJoins?: { attempts: number; max: number };
  capture: HostCapture;
  peer?: HostLink;
  /** The prompt's handlers; `isOpen` is true while this request's prompt is the state. */
  prompt(s: StateOf<'prompt'>): views.PromptHandlers & { keepRequeue(read: () => boolean | undefined): void };
  onSwitch(): void;
}

/** The state's view, with the server note above it and the failed-PIN warning below. */
export function paintHost(root: HTMLElement, s: HostState, parts: PaintParts): void {
  const view = hostView(s);
  const content = contentOf(s, parts);
  if (!view || !content) return;
  document.body.dataset.hostState = view;
  mount(root, ...(view === 'ended' || !parts.note ? [] : [parts.note.element]), ...content.elements);
  focusFirst(root);
  if (parts.failedJoins && view !== 'ended') showFailedJoins(root, parts.failedJoins.attempts, parts.failedJoins.max);
  content.shown?.();
}

function contentOf(s: HostState, parts: PaintParts): { elements: HTMLElement[]; shown?: () => void } | undefined {
  const { ctx } = parts;
  switch (s.kind) {
    case 'idle':
      return undefined;
    case 'connecting':
      return { elements: [views.connectingView()] };
    case 'ready':
      return { elements: [views.readyView(s, ctx)] };
    case 'prompt': {
      const handlers = parts.prompt(s);
      const prompt = views.promptView(s, ctx, handlers, parts.capture.warm.element);
      handlers.keepRequeue(prompt.requeue);
      return { elements: [prompt.element], shown: prompt.shown };
    }
    case 'starting':
      // Allow pressed in a browser: the prompt stays up (its button off) while the browser's picker is open.
      return hostView(s) === 'prompt' ? undefined : { elements: [views.connectingPeerView(s)] };
    case 'sharing':
      return { elements: sharingContent(s, parts) };
    case 'interrupted':
      return { elements: [views.interruptedView(s, ctx)] };
    case 'ended':
      return { elements: [views.endedView(s, ctx)] };
  }
}

function sharingContent(s: StateOf<'sharing'>, parts: PaintParts): HTMLElement[] {
  const capture = parts.capture.current;
  if (!capture) return [];
  const { name, identity } = s.viewer;
  parts.ctx.api?.reportSharing?.({ viewer: name, source: capture.label, verified: Boolean(identity) });
  const { link, control, toolkit, recording } = parts.peer ?? {};
  toolkit?.annotations.show(capture.track);
  return views.sharingView(s, parts.ctx, {
    sourceLabel: capture.label,
    pc: link?.pc,
    toggles: toolkit?.toggles,
    controlBar: control?.bar,
    recording: recording && { mark: recording.mark.element, prompt: recording.element },
    toolkitElements: toolkit?.elements ?? [],
    onSwitch: parts.onSwitch,
  });
}
